#!/usr/bin/env python3
"""Why llama-server's own timings differ from llama-bench's for the same placement: starts the server at one
placement with and without the details grandpa's --verify uses (16 threads on 16 cores, -lv 4) and asks it one
request of each kind: one word repeated (grandpa's probe until now), random token ids (what llama-bench sends),
greedy or default sampling. Prints a CSV row per request with the server's own timings.
  server_probe.py <llama-server> <model.gguf> <n-cpu-moe> <threads> <verbose 0|1> [requests...]
requests: word | random | random-sampled | random-256"""
import json, random, subprocess, sys, time, urllib.request

server, model, ncmoe, threads, verbose = sys.argv[1:6]
kinds = sys.argv[6:] or ["word", "random"]
port = 18000 + random.randrange(1000)
cmd = [server, "-m", model, "--ctx-size", "8192", "-ctk", "q8_0", "-ctv", "q8_0", "--parallel", "1",
       "--threads", threads, "--threads-batch", threads, "-b", "4096", "-ub", "512", "-ngl", "99",
       "--n-cpu-moe", ncmoe, "--load-mode", "none", "-fa", "on", "--host", "127.0.0.1", "--port", str(port)]
if verbose == "1":
    cmd += ["-lv", "4"]
log = open(f"/tmp/server-probe-{ncmoe}-{threads}-{verbose}.log", "w")
proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def call(path, body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


try:
    deadline = time.time() + 150
    while True:
        try:
            call("/health", timeout=2)
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                sys.exit(f"server not ready (rc {proc.poll()})")
            time.sleep(1)
    models = call("/v1/models")
    vocab = models["data"][0].get("meta", {}).get("n_vocab", 150000)
    counted = len(call("/tokenize", {"content": " plan" * 2048})["tokens"])
    words = 2048 * 2048 // max(1, counted)
    rng = random.Random(42)
    for kind in kinds:
        body = {"n_predict": 256 if kind.endswith("256") else 64, "ignore_eos": True, "cache_prompt": False}
        body["prompt"] = " plan" * words if kind == "word" else [rng.randrange(vocab // 100, vocab) for _ in range(2048)]
        if kind != "random-sampled":
            body["temperature"] = 0
        t = call("/completion", body, timeout=200)["timings"]
        print(f"{ncmoe},{threads},{verbose},{kind},{t['prompt_n']},{t['prompt_per_second']:.1f},"
              f"{t['predicted_n']},{t['predicted_per_second']:.2f}", flush=True)
finally:
    proc.terminate()
    proc.wait(30)
