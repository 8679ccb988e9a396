"""Keeps a few recorded decisions of each kind: the step's kind, what its actions are, the rung of each call,
the status it moves to, whether a rule judges, and what the task was doing. Identical states are kept once."""
import json, pathlib, sys

source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
PER_KIND = 6
kept, seen, counts = [], set(), {}
for path in sorted(source.glob("decisions-*.jsonl")):
    for line in path.read_text().splitlines():
        d = json.loads(line)
        step, state = d["step"], d["state"]
        actions = step.get("actions", [])
        kind = (step["kind"], tuple(sorted((a["kind"], a.get("call", {}).get("rung", ""), "ruled" in a) for a in actions)),
                (step.get("move") or {}).get("to"), state["task"]["status"], bool(state["inFlight"]["subtasks"]),
                bool(state["inFlight"].get("waiting")), bool(state["inFlight"]["unroutable"]), state["inFlight"]["failures"] > 0)
        identity = json.dumps({"state": state, "step": step}, sort_keys=True)
        if identity in seen or counts.get(kind, 0) >= PER_KIND:
            continue
        seen.add(identity)
        counts[kind] = counts.get(kind, 0) + 1
        kept.append(line)
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text("\n".join(kept) + "\n")
print(f"{len(kept)} decisions of {len(counts)} kinds kept in {target}")
