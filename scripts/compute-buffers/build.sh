#!/usr/bin/env bash
# Builds llama-server with CUDA for Hopper (sm_90) from a llama.cpp or ik_llama.cpp source tree.
#   ./build.sh <source tree>        (about 10.5 minutes on 16 cores for ik_llama.cpp with CUDA: more than one
#                                    10-minute device call; BENCHMARKS.md, "Compute buffers", says how)
set -euo pipefail
cd "$1"
cmake -B build -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_BUILD_TESTS=OFF -DLLAMA_CURL=OFF \
      -DGGML_IQK_FA_ALL_QUANTS=OFF \
      -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target llama-server
ls -la build/bin/llama-server
