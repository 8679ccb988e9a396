#!/usr/bin/env bash
# Builds llama-server with CUDA for Hopper (sm_90) from a llama.cpp or ik_llama.cpp source tree.
#   ./build.sh <source tree>        (about 10 minutes on 16 cores for ik_llama.cpp; more than one 10-minute
#                                    device call, so run it where a build can last longer)
set -euo pipefail
cd "$1"
cmake -B build -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_BUILD_TESTS=OFF -DLLAMA_CURL=OFF \
      -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target llama-server
ls -la build/bin/llama-server
