package dev.familiar.grandpa.core.planning;

import dev.familiar.grandpa.core.resident.Prompts;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Asks grandpa for a plan, validates it, and asks again with the problems when it is not valid. */
public class Planner {
    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final GrandpaModel grandpa;
    private final int maxSubtasks;
    private final int attempts;

    public Planner(GrandpaModel grandpa, int maxSubtasks, int attempts) {
        this.grandpa = grandpa;
        this.maxSubtasks = maxSubtasks;
        this.attempts = attempts;
    }

    /** A valid plan with the JSON it was read from, or the reason none was had. */
    public sealed interface Outcome {}

    public record Planned(Plan plan, String json) implements Outcome {}

    public record Rejected(String reason) implements Outcome {}

    /**
     * @param version     the plan version being made (1 for the first plan)
     * @param replanCause why the previous plan is being replaced, or null for the first plan
     * @param accepted    subtasks accepted under earlier versions
     * @param context     the task's rendered context pack, or ""
     * @param checks      the checks of the task's repository a subtask may name (name: command), empty when none
     */
    public Outcome plan(Task task, int version, String replanCause, List<Subtask> accepted, Set<String> capabilities,
                        String context, Map<String, String> checks) {
        Set<String> done = new TreeSet<>();
        accepted.forEach(s -> done.add(s.key()));
        String prompt = prompt(task, version, replanCause, accepted, capabilities, context, checks);
        String problems = null;
        for (int i = 0; i < attempts; i++) {
            String answer = grandpa.askWithinLimit(task.id(), Purpose.PLAN, Prompts.PLAN
                    + (problems == null ? prompt : prompt + "\nYour previous answer was rejected: " + problems
                            + "\nAnswer again with a corrected plan."), schema(capabilities, maxSubtasks, checks.keySet()));
            try {
                Plan plan = JSON.readValue(answer, Plan.class);
                var found = PlanValidator.problems(plan, maxSubtasks, capabilities, done, checks.keySet());
                if (found.isEmpty()) {
                    return new Planned(plan, JSON.writeValueAsString(plan));
                }
                problems = String.join("; ", found);
            } catch (JacksonException e) {
                problems = "the answer is not JSON in the plan schema (" + e.getOriginalMessage() + ")";
            }
        }
        return new Rejected("grandpa gave no valid plan in " + attempts + " attempt(s): " + problems);
    }

    String prompt(Task task, int version, String replanCause, List<Subtask> accepted, Set<String> capabilities,
                  String context, Map<String, String> checks) {
        var p = new StringBuilder();
        p.append("Goal:\n").append(task.goal()).append("\n\n");
        if (!context.isEmpty()) {
            p.append(context).append('\n');
        }
        p.append("Title: ").append(task.title()).append('\n');
        if (task.repo() != null) {
            p.append("Repository: ").append(task.repo()).append('\n');
        }
        if (!task.labels().isEmpty()) {
            p.append("Labels: ").append(String.join(", ", task.labels())).append('\n');
        }
        if (!checks.isEmpty()) {
            p.append("Checks of the repository (a subtask may name the one that proves it in \"check\"; each runs on "
                    + "the subtask's change in a copy of the repository):\n");
            new TreeMap<>(checks).forEach((name, command) -> p.append("- ").append(name).append(": ").append(command)
                    .append('\n'));
            if (task.acceptanceCommand() != null) {
                p.append("The task is done when the check '").append(task.acceptanceCommand())
                        .append("' passes on the whole change.\n");
            }
        } else if (task.acceptanceCommand() != null) {
            p.append("Acceptance command: ").append(task.acceptanceCommand()).append('\n');
        }
        p.append("Capabilities of the coders: ").append(String.join(", ", new TreeSet<>(capabilities))).append('\n');
        p.append("At most ").append(maxSubtasks).append(" subtasks.\n");
        p.append("A subtask may say in \"needs\" what its coder needs to know besides its instructions (code symbols, "
                + "files, notes): its context is looked up with it.\n");
        p.append("Plan version: ").append(version).append('\n');
        if (replanCause != null) {
            p.append("\nThe previous plan could not be finished: ").append(replanCause).append('\n');
            p.append("Plan only the remaining work.\n");
        }
        if (!accepted.isEmpty()) {
            p.append("\nAlready accepted subtasks (depend on them by id; do not repeat them or reuse their ids):\n");
            accepted.forEach(s -> p.append("- ").append(s.key()).append(": ").append(s.title()).append('\n'));
        }
        return p.toString();
    }

    /**
     * The plan's JSON schema with every rule of {@link PlanValidator} that JSON Schema can say (id
     * pattern, at least one and at most {@code maxSubtasks} subtasks, the capabilities the coders have,
     * non-empty title and instructions, no other fields), so the server's grammar rules out what
     * validation would refuse. What it cannot say (unique ids, dependencies on known ids, no cycles)
     * is still checked after.
     */
    public static JsonSchema schema(Set<String> capabilities, int maxSubtasks) {
        return schema(capabilities, maxSubtasks, Set.of());
    }

    /** ... and, for a task in a repository, an optional {@code check} among the repository's checks. */
    public static JsonSchema schema(Set<String> capabilities, int maxSubtasks, Set<String> checks) {
        String id = JSON.writeValueAsString("^" + PlanValidator.ID_PATTERN + "$");
        String check = checks.isEmpty() ? ""
                : ",\n   \"check\":{\"enum\":" + JSON.writeValueAsString(new TreeSet<>(checks)) + "}";
        String raw = """
                {"type":"object","additionalProperties":false,"required":["summary","subtasks"],"properties":{
                 "summary":{"type":"string"},
                 "subtasks":{"type":"array","minItems":1,"maxItems":%d,"items":{
                  "type":"object","additionalProperties":false,
                  "required":["id","title","instructions","kind","capability","depends_on","acceptance_criteria"],
                  "properties":{
                   "id":{"type":"string","pattern":%s},
                   "title":{"type":"string","minLength":1},
                   "instructions":{"type":"string","minLength":1},
                   "kind":{"enum":["code","tests","docs","review","research"]},
                   "capability":{"enum":%s},
                   "depends_on":{"type":"array","items":{"type":"string","pattern":%s}},
                   "acceptance_criteria":{"type":"array","items":{"type":"string"}},
                   "needs":{"type":"string"}%s}}}}}"""
                .formatted(maxSubtasks, id, JSON.writeValueAsString(new TreeSet<>(capabilities)), id, check);
        return JsonSchema.builder().name("plan").rootElement(JsonRawSchema.from(raw)).build();
    }
}
