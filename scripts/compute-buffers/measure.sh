#!/usr/bin/env bash
# What llama.cpp (or ik_llama.cpp) really allocates, to fit grandpa's placement estimate: starts llama-server on a
# model at several micro-batch sizes, contexts and cache types, with every layer on the GPU and with the experts on
# the CPU, and prints as CSV (the columns of inference-runtime/src/test/resources/placement/*.csv) its own lines:
# each compute buffer, the weights it put on CUDA0 and its KV cache (KV and recurrent-state buffers) there.
#   ./measure.sh <llama-server> <model.gguf> > allocations.csv
#   MODEL=<name in the CSV> UBS="512 4096" CTXS="16384 65536" FAS="on off" KVS="f16 q8_0" WHERES="gpu cpu half"
#   HALF=24 ARGS="-fit off -v" FLAGS=<the flags column> LOGS=<dir> choose the points, add server arguments and
#   keep the server logs; "half" keeps the experts of the first HALF layers on the CPU.
# A model of the right shape needs no real weights: the gen_*.py beside this write sparse files of zeros
# (GGUF_PY=<llama.cpp>/gguf-py python3 gen_qwen3moe.py q3.gguf).
set -uo pipefail
server=$1 model=$2 name=${MODEL:-$(basename "$model" .gguf)}
echo "model,context,ubatch,experts,flash_attn,kv_type,flags,buffer,mib"
for ctx in ${CTXS:-65536}; do
 for fa in ${FAS:-on}; do
  for kv in ${KVS:-f16}; do
   for ub in ${UBS:-512 1024 2048 4096}; do
    for where in ${WHERES:-gpu cpu}; do
     extra=(${ARGS:-}); [ "$where" = cpu ] && extra+=(--cpu-moe); [ "$where" = half ] && extra+=(--n-cpu-moe "${HALF:-24}")
     log=$(mktemp)
     timeout "${POINT_TIMEOUT:-300}" "$server" -m "$model" -c "$ctx" -b 4096 -ub "$ub" -ngl 999 -fa "$fa" -ctk "$kv" -ctv "$kv" \
         "${extra[@]}" --host 127.0.0.1 --port "${PORT:-18999}" --no-warmup > "$log" 2>&1 &
     pid=$!
     for _ in $(seq 1 "${POINT_TIMEOUT:-300}"); do
       grep -q "graph splits" "$log" && break
       kill -0 $pid 2>/dev/null || break
       sleep 1
     done
     kill $pid 2>/dev/null; wait $pid 2>/dev/null
     row="$name,$ctx,$ub,$where,$fa,$kv,${FLAGS:-}"
     grep "compute buffer size =" "$log" \
       | sed -E "s/.*: *([A-Za-z0-9_]+) compute buffer size = *([0-9.]+) MiB.*/$row,\1,\2/"
     awk -v row="$row" '
       /(model )?buffer size/ && /CUDA0/ && !/KV|RS|compute|output/ { split($0, a, "= *"); w += a[2] + 0; hw = 1 }
       /CUDA0 (KV|RS) buffer size/ { split($0, a, "= *"); k += a[2] + 0; hk = 1 }
       END { if (hw) printf "%s,CUDA0 weights,%.2f\n", row, w; if (hk) printf "%s,KV cache,%.2f\n", row, k }' "$log"
     [ -n "${LOGS:-}" ] && cp "$log" "$LOGS/server-c$ctx-ub$ub-$where-fa$fa-$kv.log"
     rm -f "$log"
    done
   done
  done
 done
done
