#!/usr/bin/env bash
# What a placement really gives: llama-bench's prompt processing and generation speed with the experts of the
# first N layers kept on the CPU (-ncmoe), their host memory mapped or pinned (--load-mode mmap | none: none
# loads into CUDA_Host, pinned), at several micro-batch sizes; to check grandpa's speed predictions.
#   ./measure.sh <llama-bench> <model.gguf> > speed.csv
#   NCMOE="0,12,24,48" MODES="mmap,none" UBS="512,2048,4096" PROMPT=4096 GEN=64 REPS=2 choose the points;
#   DEPTHS="0,16384,65536" measures them with that many tokens already in the context (attention's growth).
# A model of the right shape needs no real weights (scripts/compute-buffers/gen_*.py write sparse GGUFs of
# zeros; with zero weights every token routes to the same experts, which changes neither what a large batch
# copies to the GPU nor what a generated token reads).
set -uo pipefail
bench=$1 model=$2
"$bench" -m "$model" -ngl 999 -fa 1 -b 4096 -ub "${UBS:-512,2048,4096}" -ncmoe "${NCMOE:-0,12,24,48}" \
    -lm "${MODES:-mmap,none}" -p "${PROMPT:-4096}" -n "${GEN:-64}" -d "${DEPTHS:-0}" -r "${REPS:-2}" -o csv
