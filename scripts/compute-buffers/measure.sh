#!/usr/bin/env bash
# What llama.cpp (or ik_llama.cpp) really allocates for its compute buffers, to fit grandpa's placement
# estimate: starts llama-server on a model at several micro-batch sizes, with every layer on the GPU and
# with the experts on the CPU, and prints its own "compute buffer size" lines as CSV.
#   ./measure.sh <llama-server> <model.gguf> [context] > compute-buffers.csv
# A model of the right shape needs no real weights: gen_qwen3moe.py writes Qwen3-30B-A3B's shape as a
# sparse file of zeros (GGUF_PY=<llama.cpp>/gguf-py python3 gen_qwen3moe.py q3.gguf).
set -uo pipefail
server=$1 model=$2 ctx=${3:-65536}
echo "ubatch,experts,buffer,mib"
for ub in 512 1024 2048 4096; do
  for where in gpu cpu; do
    extra=(); [ "$where" = cpu ] && extra=(--cpu-moe)
    log=$(mktemp)
    timeout 300 "$server" -m "$model" -c "$ctx" -b 4096 -ub "$ub" -ngl 999 -fa on "${extra[@]}" \
        --host 127.0.0.1 --port 18999 --no-warmup > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 290); do
      grep -q "compute buffer size" "$log" && sleep 2 && break
      kill -0 $pid 2>/dev/null || break
      sleep 1
    done
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    grep "compute buffer size" "$log" | sed -E "s/.*: *([A-Za-z0-9_]+) compute buffer size = *([0-9.]+) MiB.*/$ub,$where,\1,\2/"
    rm -f "$log"
  done
done
