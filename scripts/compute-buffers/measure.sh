#!/usr/bin/env bash
# What llama.cpp (or ik_llama.cpp) really allocates for its compute buffers, to fit grandpa's placement
# estimate: starts llama-server on a model at several micro-batch sizes and contexts, with every layer on the
# GPU and with the experts on the CPU, and prints its own "compute buffer size" lines as CSV.
#   ./measure.sh <llama-server> <model.gguf> > compute-buffers.csv
#   UBS="512 4096" CTXS="16384 65536" FAS="on off" WHERES="gpu cpu half" ARGS="-muge" LOGS=<dir> to choose the
#   points, add server arguments and keep the server logs; "half" keeps the experts of the first 24 layers on the CPU.
# A model of the right shape needs no real weights: gen_qwen3moe.py writes Qwen3-30B-A3B's shape as a
# sparse file of zeros (GGUF_PY=<llama.cpp>/gguf-py python3 gen_qwen3moe.py q3.gguf).
set -uo pipefail
server=$1 model=$2
echo "context,ubatch,experts,flash_attn,buffer,mib"
for ctx in ${CTXS:-65536}; do
 for fa in ${FAS:-on}; do
  for ub in ${UBS:-512 1024 2048 4096}; do
   for where in ${WHERES:-gpu cpu}; do
    extra=(${ARGS:-}); [ "$where" = cpu ] && extra+=(--cpu-moe); [ "$where" = half ] && extra+=(--n-cpu-moe 24)
    log=$(mktemp)
    timeout 300 "$server" -m "$model" -c "$ctx" -b 4096 -ub "$ub" -ngl 999 -fa "$fa" "${extra[@]}" \
        --host 127.0.0.1 --port 18999 --no-warmup > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 290); do
      grep -q "graph splits" "$log" && break
      kill -0 $pid 2>/dev/null || break
      sleep 1
    done
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    grep "compute buffer size" "$log" \
      | sed -E "s/.*: *([A-Za-z0-9_]+) compute buffer size = *([0-9.]+) MiB.*/$ctx,$ub,$where,$fa,\1,\2/"
    [ -n "${LOGS:-}" ] && cp "$log" "$LOGS/server-c$ctx-ub$ub-$where-fa$fa.log"
    rm -f "$log"
   done
  done
 done
done
