#!/usr/bin/env bash
# Builds llama-server with CUDA for Hopper (sm_90) from a llama.cpp or ik_llama.cpp source tree.
#   ./build.sh <source tree>        (about 10.5 minutes on 16 cores for ik_llama.cpp with CUDA, 5 for mainline: more than one
#                                    10-minute device call; BENCHMARKS.md, "Compute buffers", says how)
set -euo pipefail
cd "$1"
# (the last four switches are mainline's: no examples, no web UI to download, no TLS; ik_llama.cpp ignores them)
cmake -B build -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_BUILD_TESTS=OFF -DLLAMA_CURL=OFF \
      -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF \
      -DGGML_IQK_FA_ALL_QUANTS=OFF \
      -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target llama-server llama-bench
ls -la build/bin/llama-server
