#!/usr/bin/env bash
# Builds llama-server and llama-bench (and ik_llama.cpp's llama-sweep-bench) with CUDA for Hopper (sm_90) from a llama.cpp or ik_llama.cpp source tree.
#   ./build.sh <source tree>        (about 10.5 minutes on 16 cores for ik_llama.cpp with CUDA, 5 for mainline: more than one
#                                    10-minute device call; BENCHMARKS.md, "Compute buffers", says how)
set -euo pipefail
cd "$1"
flags=()
# mainline keeps its programs in tools/ and can leave out the examples, the web UI download and TLS; ik_llama.cpp's
# server and llama-bench are examples
[ -d tools/server ] && flags=(-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF)
cmake -B build -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_BUILD_TESTS=OFF -DLLAMA_CURL=OFF \
      -DGGML_IQK_FA_ALL_QUANTS=OFF -DCMAKE_BUILD_TYPE=Release "${flags[@]}"
targets=(llama-server llama-bench)
# ik_llama.cpp's sweep-bench loads a model as its server does (--n-cpu-moe keeps experts in pinned host memory,
# which its llama-bench cannot) and measures speed as the context fills
[ -d examples/sweep-bench ] && targets+=(llama-sweep-bench)
# TARGETS, when set, builds only those (a session short of device time: ik_llama.cpp's sweep-bench alone)
[ -n "${TARGETS:-}" ] && read -ra targets <<< "$TARGETS"
cmake --build build -j "$(nproc)" --target "${targets[@]}"
ls -la "${targets[@]/#/build/bin/}"
