#!/usr/bin/env bash
# The measurements of BENCHMARKS.md "Compute buffers" and "Speed of a placement" for the GLM-5.1 (glm-dsa) and
# Qwen3.5 (qwen35moe) shapes under both servers, as run on the device machine (one H200, 16 cores), step by step:
#   scripts/h200/run.sh build          unpacks target/{lcpp,ik}-src.tar.gz into /root, builds both in the background
#                                      (setsid: they outlive the call; ik first, mainline niced; about 14 minutes for
#                                      ik's), writes the models and waits for ik's build until BUILD_WAIT seconds
#   scripts/h200/run.sh ik-build       ik_llama.cpp's llama-sweep-bench alone, all cores, and the two speed models
#   scripts/h200/run.sh main-build     mainline llama-bench alone, all cores, and the glm-dsa and qwen35moe speed models
#   scripts/h200/run.sh main-build-ik  mainline's llama-bench (about 5 minutes) with ik's sweep-bench niced beside it
#   scripts/h200/run.sh main-gen       mainline generation at every split of the three shapes, three times each, and
#                                      GLM-5.1's prompt after 16k and 64k tokens (ik's build paused meanwhile)
#   scripts/h200/run.sh main-q35-depth Qwen3.5's prompt after 16k and 64k tokens, GLM's generation splits in reverse
#   scripts/h200/run.sh placement-verify `grandpa placement --verify` itself against mainline's llama-server (its own host
#                                      bandwidth probe, buffers, one request's speed), beside llama-bench's numbers
#   scripts/h200/run.sh server-probe   --verify's server against the same server alone and llama-bench (generation)
#   scripts/h200/run.sh gen-depth      llama-bench's generation by depth and cache type, the three shapes
#   scripts/h200/run.sh gen-depth-recheck  GLM's prompt and qwen3moe's split by cache type again
#   scripts/h200/run.sh verify-shapes  --verify and llama-bench on the GLM-5.1 and Qwen3.5 shapes, 4 layers on the CPU
#   scripts/h200/run.sh ik-gen         ik's sweep-bench: Qwen3.5 to 61,440 tokens, generation at every split
#   scripts/h200/run.sh main-memory    mainline llama-server's allocations for the glm-dsa shape
#   scripts/h200/run.sh main-speed     mainline llama-bench on the glm-dsa and qwen35moe shapes
#   scripts/h200/run.sh main-glm-speed mainline llama-bench on the glm-dsa shape, prompt speed and depth
#   scripts/h200/run.sh ik-memory      ik_llama.cpp's allocations for the glm-dsa and qwen35moe shapes (6 minutes)
#   scripts/h200/run.sh ik-speed       ik_llama.cpp's llama-sweep-bench on the qwen3moe and glm-dsa shapes
#   scripts/h200/run.sh ik-q35-speed   ik_llama.cpp's llama-sweep-bench to 61,440 tokens of context, and on the qwen35moe
#                                      shape across its offload batch
# Results go to $OUT (CSV and the servers' logs); models are generated once into /root. The sources travel as
# tarballs in target/ (carry both): lcpp-src.tar.gz holds unslothai/llama.cpp's CMakeLists.txt cmake common ggml
# include src tools vendor gguf-py app scripts/ui-assets.cmake licenses LICENSE under lcpp/ (checked out of the
# mirror with git --work-tree; git archive fails on a missing blob), ik-src.tar.gz ik_llama.cpp's CMakeLists.txt
# cmake common ggml src examples include vendor llama-mmap.h pocs scripts/build-info.sh scripts/*.cmake LICENSE
# under ik/. A machine goes back 30 s after a call: ask for the next step at once. Write what a step prints to
# $OUT (a pipe into tail can outlive the call's limit and return nothing), and never pkill/pgrep -f a path the
# call's own command line holds (it matches the call's shell).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd) repo=$(cd "$here/.." && pwd)
export GGUF_PY=/root/lcpp/gguf-py
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
model() { # name generator args: writes /root/<name>.gguf once (random routing for the speed models)
  [ -f "/root/$1.gguf" ] && return
  python3 "$here/compute-buffers/$2" "/root/$1.gguf" "${@:3}" >&2
  case $1 in *speed*) python3 "$here/speed/route_randomly.py" "/root/$1.gguf" >&2 ;; esac
}
start_build() { # builds /root/$1 (ik or lcpp) detached, so it outlives the call: nice level $2, TARGETS $3 (all if empty)
  setsid nohup bash -c "TARGETS='${3:-}' nice -n $2 $here/compute-buffers/build.sh /root/$1 > /root/$1-build.log 2>&1; \
      echo rc=\$? >> /root/$1-build.log" > /dev/null 2>&1 < /dev/null &
  echo $! > "/root/$1-build.pid" # setsid's child leads its own process group: pause_build stops all of it
}
pause_build() { # $1 STOP or CONT: a build beside a measurement would take the host's cores and memory bandwidth
  [ -f "/root/ik-build.pid" ] && ! grep -qs "rc=" /root/ik-build.log && kill -"$1" -- -"$(cat /root/ik-build.pid)" 2>/dev/null
  return 0
}
wait_build() { # keeps the call (and the machine) until $1's build ends or BUILD_WAIT seconds (default $2) pass
  while ! grep -qs "rc=" "/root/$1-build.log" && [ $SECONDS -lt "${BUILD_WAIT:-$2}" ]; do sleep 5; done
  tail -2 "/root/$1-build.log"
}
built() { # waits for the build step's background build of $1 (ik or lcpp) on this machine
  [ -f "/root/$1-build.log" ] || { echo "no $1 build on this machine: run the build step first"; exit 1; }
  while ! grep -q "rc=" "/root/$1-build.log"; do sleep 5; done; tail -1 "/root/$1-build.log"
}
unpack_tool() { cd /root && tar xzf "$repo/target/placement-tool.tar.gz"; } # scripts/h200/placement-tool.sh's tarball
grandpa_plan() { # grandpa placement (the unpacked tool) for qwen3moe's shape (or PLAN_MODEL) on the H200, mainline's server
  /root/placement-tool/java/bin/java -cp "/root/placement-tool/lib/*" dev.familiar.grandpa.runtime.tool.PlacementCommand \
      --model "${PLAN_MODEL:-/root/qwen3moe-speed.gguf}" --gpu 139GiB --gpu-bandwidth 4.8TB/s --ctx 8192 --flavor llama.cpp \
      --strategy n-cpu-moe --ubatch 512 --threads 16 --port 18997 "$@"
}
case $1 in
build)
  # ik_llama.cpp first at full priority (the ik steps wait for it), mainline niced beside it; the models are written
  # meanwhile; the call then waits for ik's build (until BUILD_WAIT seconds from its start) to keep the machine
  cd /root && tar xzf "$repo/target/lcpp-src.tar.gz" && tar xzf "$repo/target/ik-src.tar.gz"
  start_build ik 0; start_build lcpp 19
  model glm-dsa-6-blocks gen_glmdsa.py 6; model qwen35moe-8-layers gen_qwen35moe.py 8
  model glm-dsa-speed gen_glmdsa.py 8; model qwen3moe-speed gen_qwen3moe.py
  wait_build ik 560; tail -1 /root/lcpp-build.log ;;
ik-build)
  # ik_llama.cpp alone, only llama-sweep-bench, all cores (for the ik-speed step when device time is short); mainline's
  # gguf-py writes the two speed models meanwhile
  cd /root && tar xzf "$repo/target/ik-src.tar.gz" && tar xzf "$repo/target/lcpp-src.tar.gz" lcpp/gguf-py
  start_build ik 0 llama-sweep-bench
  model glm-dsa-speed gen_glmdsa.py 8; model qwen3moe-speed gen_qwen3moe.py
  wait_build ik 580 ;;
main-build)
  # mainline alone, only llama-bench (MAIN_TARGETS="llama-bench llama-server" for placement-verify), all cores (about
  # 5 minutes); the speed models are written meanwhile
  cd /root && tar xzf "$repo/target/lcpp-src.tar.gz"
  start_build lcpp 0 "${MAIN_TARGETS:-llama-bench}"
  model glm-dsa-speed gen_glmdsa.py 8; model qwen35moe-speed gen_qwen35moe.py 8
  wait_build lcpp 580 ;;
main-build-ik)
  # mainline's llama-bench (MAIN_TARGETS as in main-build) at full priority and ik's sweep-bench niced beside it (it
  # goes on after the call, paused while main-gen and placement-verify measure); the three speed models meanwhile
  cd /root && tar xzf "$repo/target/lcpp-src.tar.gz" && tar xzf "$repo/target/ik-src.tar.gz"
  start_build lcpp 0 "${MAIN_TARGETS:-llama-bench}"; start_build ik 19 llama-sweep-bench
  model qwen3moe-speed gen_qwen3moe.py; model qwen35moe-speed gen_qwen35moe.py 8; model glm-dsa-speed gen_glmdsa.py 8
  wait_build lcpp 580; tail -1 /root/ik-build.log ;;
main-gen)
  # generation's host share, three times at each split of the three shapes on one lease (-n 128: single runs of 32
  # tokens disagreed by up to 16 %); qwen3moe's 48 layers on the CPU first, the lease's host bandwidth; then
  # mainline's attention over MLA's latent with 16k and 64k tokens already in the context
  built lcpp; pause_build STOP; b=/root/lcpp/build/bin/llama-bench
  model qwen3moe-speed gen_qwen3moe.py; model qwen35moe-speed gen_qwen35moe.py 8; model glm-dsa-speed gen_glmdsa.py 8
  NCMOE=48,24,12,6,0 MODES=none UBS=512 PROMPT=0 GEN=128 REPS=3 "$here/speed/measure.sh" $b /root/qwen3moe-speed.gguf > "$OUT/main-gen-qwen3moe.csv"
  NCMOE=0,1,2,3,4,6,8 MODES=none UBS=512 PROMPT=0 GEN=128 REPS=3 "$here/speed/measure.sh" $b /root/qwen35moe-speed.gguf > "$OUT/main-gen-qwen35moe.csv"
  NCMOE=0,2,3,4,5,6,7 MODES=none UBS=512 PROMPT=0 GEN=128 REPS=3 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf > "$OUT/main-gen-glm.csv"
  NCMOE=0,5 MODES=none UBS=4096 PROMPT=2048 GEN=32 REPS=1 DEPTHS=16384,65536 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf > "$OUT/main-speed-glm-depth.csv"
  pause_build CONT ;;
main-memory)
  built lcpp; model glm-dsa-6-blocks gen_glmdsa.py 6; mkdir -p "$OUT/logs-main"
  MODEL=glm-dsa-6-blocks CTXS="${CTXS:-16384 131072}" UBS="${UBS:-512 2048 4096}" KVS="f16 q8_0" WHERES="gpu cpu" \
      ARGS="-fit off -v" FLAGS="parallel 4" LOGS="$OUT/logs-main" POINT_TIMEOUT=90 \
      "$here/compute-buffers/measure.sh" /root/lcpp/build/bin/llama-server /root/glm-dsa-6-blocks.gguf | tee "$OUT/main-glm.csv"
  MODEL=glm-dsa-6-blocks CTXS=65536 UBS="512 4096" KVS=f16 WHERES=half HALF=3 ARGS="-fit off -v" FLAGS="parallel 4" \
      LOGS="$OUT/logs-main" POINT_TIMEOUT=90 "$here/compute-buffers/measure.sh" /root/lcpp/build/bin/llama-server \
      /root/glm-dsa-6-blocks.gguf | tail -n +2 | tee -a "$OUT/main-glm.csv" ;;
speed-models)
  model glm-dsa-speed gen_glmdsa.py 8; model qwen35moe-speed gen_qwen35moe.py 8 ;;
main-speed)
  built lcpp; model glm-dsa-speed gen_glmdsa.py 8; model qwen35moe-speed gen_qwen35moe.py 8
  b=/root/lcpp/build/bin/llama-bench
  NCMOE=0,3,5,7 MODES=none UBS=512,4096 PROMPT=2048 GEN=32 REPS=1 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf | tee "$OUT/main-speed-glm.csv"
  # attention's growth: the same prompt with 16k and 64k tokens already in the context
  NCMOE=0,5 MODES=none UBS=4096 PROMPT=2048 GEN=32 REPS=1 DEPTHS=16384,65536 "$here/speed/measure.sh" $b /root/qwen35moe-speed.gguf | tee "$OUT/main-speed-depth.csv"
  NCMOE=0,2,4,8 MODES=none UBS=512,4096 PROMPT=2048 GEN=32 REPS=1 "$here/speed/measure.sh" $b /root/qwen35moe-speed.gguf | tee "$OUT/main-speed-q35.csv" ;;
ik-memory)
  built ik
  model glm-dsa-6-blocks gen_glmdsa.py 6; model qwen35moe-8-layers gen_qwen35moe.py 8; mkdir -p "$OUT/logs-ik"
  s=/root/ik/build/bin/llama-server
  MODEL=glm-dsa-6-blocks CTXS="16384 131072" UBS="512 4096" KVS="f16 q8_0" WHERES="gpu cpu" LOGS="$OUT/logs-ik" \
      POINT_TIMEOUT=90 PORT=18998 "$here/compute-buffers/measure.sh" $s /root/glm-dsa-6-blocks.gguf | tee "$OUT/ik-glm.csv"
  MODEL=glm-dsa-6-blocks CTXS=65536 UBS="512 4096" KVS=f16 WHERES="gpu half" HALF=3 ARGS="-amb 512" FLAGS="-amb 512" \
      LOGS="$OUT/logs-ik" POINT_TIMEOUT=90 PORT=18998 "$here/compute-buffers/measure.sh" $s /root/glm-dsa-6-blocks.gguf | tail -n +2 | tee -a "$OUT/ik-glm.csv"
  MODEL=qwen35moe-8-layers CTXS="16384 65536" UBS="512 4096" KVS="f16 q8_0" WHERES="gpu cpu" LOGS="$OUT/logs-ik" \
      POINT_TIMEOUT=90 PORT=18998 "$here/compute-buffers/measure.sh" $s /root/qwen35moe-8-layers.gguf | tee "$OUT/ik-q35.csv" ;;
ik-speed)
  built ik
  # llama-sweep-bench, not llama-bench: its --n-cpu-moe keeps the experts in pinned host memory as ik's server
  # does (llama-bench's puts them in plain or mapped memory), and it measures prompt and generation speed at
  # every depth of the context (-ub tokens at a time), so attention's growth shows too
  model qwen3moe-speed gen_qwen3moe.py; model glm-dsa-speed gen_glmdsa.py 8
  b=/root/ik/build/bin/llama-sweep-bench
  # ik counts --n-cpu-moe in layers with experts from the last (GLM: 6 MoE blocks of 8)
  for m in "glm-dsa-speed 0 2 4 6" "qwen3moe-speed 0 12 24 48"; do
    set -- $m; name=$1; shift
    for n in "$@"; do for ub in 512 4096; do
      # two steps of the sweep: a prompt of -ub tokens at depth 0 and at depth -ub, each followed by 32 generated
      echo "== $name --n-cpu-moe $n -ub $ub" | tee -a "$OUT/ik-speed.txt"
      timeout 120 $b -m /root/$name.gguf -c $((2 * ub)) -b 4096 -ub $ub -n 32 -ngl 999 --n-cpu-moe $n 2>&1 \
        | grep -E "^\||buffer size" | tee -a "$OUT/ik-speed.txt"
    done; done
  done ;;
ik-q35-speed)
  # first attention's growth: whole-GPU sweeps of qwen3moe and GLM to 61,440 tokens of context, -ub 4096 at a time;
  # then Qwen3.5's shape under ik: its offload batch is 32 x 512 experts / 10 used = 1,639 tokens, so -ub 512 and
  # 1024 leave the host's experts to the CPU (Q8_0 here, Q4_0 in GLM's rows) and 4096 copies them; then the qwen3moe
  # point the ik-speed step did not reach, whose generation with every expert on the host gives the lease's host
  # bandwidth (leases differ: 67.7 GB/s on 2026-12-04's third, 53.8 before; about 5 minutes in all)
  built ik; model qwen35moe-speed gen_qwen35moe.py 8; model qwen3moe-speed gen_qwen3moe.py; model glm-dsa-speed gen_glmdsa.py 8
  b=/root/ik/build/bin/llama-sweep-bench
  for name in qwen3moe-speed glm-dsa-speed; do
    echo "== $name --n-cpu-moe 0 -ub 4096 -c 65536" | tee -a "$OUT/ik-depth.txt"
    timeout 100 $b -m /root/$name.gguf -c 65536 -b 4096 -ub 4096 -n 32 -ngl 999 --n-cpu-moe 0 2>&1 \
      | grep -E "^\||buffer size" | tee -a "$OUT/ik-depth.txt"
  done
  for p in "qwen35moe-speed 0 512" "qwen35moe-speed 0 4096" "qwen35moe-speed 2 512" "qwen35moe-speed 2 1024" \
           "qwen35moe-speed 2 4096" "qwen35moe-speed 4 512" "qwen35moe-speed 4 1024" "qwen35moe-speed 4 4096" \
           "qwen35moe-speed 8 512" "qwen35moe-speed 8 1024" "qwen35moe-speed 8 4096" "qwen3moe-speed 48 4096"; do
    set -- $p
    echo "== $1 --n-cpu-moe $2 -ub $3" | tee -a "$OUT/ik-speed.txt"
    timeout 150 $b -m /root/$1.gguf -c $((2 * $3)) -b 4096 -ub $3 -n 32 -ngl 999 --n-cpu-moe $2 2>&1 \
      | grep -E "^\||buffer size" | tee -a "$OUT/ik-speed.txt"
  done ;;
main-q35-depth)
  # after main-build, in what is left of a lease: Qwen3.5's prompt after 16k and 64k tokens (its full-attention layers'
  # 16 queries a key: the rate's held-out check), then GLM's generation splits again in the reverse order (is the
  # fourth lease's bend in them the placement or the machine drifting?)
  built lcpp; b=/root/lcpp/build/bin/llama-bench
  NCMOE=0 MODES=none UBS=4096 PROMPT=2048 GEN=0 REPS=1 DEPTHS=16384,65536 "$here/speed/measure.sh" $b /root/qwen35moe-speed.gguf > "$OUT/main-q35-depth.csv"
  NCMOE=7,6,5,4,3,2,0 MODES=none UBS=512 PROMPT=0 GEN=128 REPS=3 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf > "$OUT/main-gen-glm-reverse.csv" ;;
server-probe)
  # why --verify's server generated 20-38 % slower than llama-bench at the same placement on the seventh lease while
  # server_probe.py's server on the eighth made 47.6-51.2 tokens a second at 24 layers (llama-bench: 50.9). After
  # main-build with MAIN_TARGETS="llama-bench llama-server", and placement-tool.sh here: grandpa's --verify at 24 CPU
  # layers, the server alone, llama-bench with an empty context and 2,048 tokens in a q8_0 cache, --verify again; then
  # the server alone on the whole GPU
  built lcpp; pause_build STOP; model qwen3moe-speed gen_qwen3moe.py; unpack_tool
  s=/root/lcpp/build/bin/llama-server m=/root/qwen3moe-speed.gguf
  grandpa_plan --n-cpu-moe 24 --verify --server $s --verify-for 200 > "$OUT/verify-24-a.txt" 2>&1
  python3 "$here/speed/server_probe.py" $s $m 24 16 1 random random random-256 >> "$OUT/server-probe.csv" 2>> "$OUT/server-probe.err"
  /root/lcpp/build/bin/llama-bench -m $m -ngl 999 -fa 1 -b 4096 -ub 512 -ncmoe 24,0 -lm none -p 0 -n 64 -d 0,2048 \
      -ctk q8_0 -ctv q8_0 -t 16 -r 2 -o csv > "$OUT/server-probe-bench.csv"
  grandpa_plan --n-cpu-moe 24 --verify --server $s --verify-for 200 > "$OUT/verify-24-b.txt" 2>&1
  python3 "$here/speed/server_probe.py" $s $m 0 16 1 random random random-256 >> "$OUT/server-probe.csv" 2>> "$OUT/server-probe.err"
  pause_build CONT ;;
gen-depth)
  # generation after 0, 4,096 and 16,384 tokens with f16 and q8_0 caches, whole GPU and one split of each shape: what
  # of --verify's slower server is the q8_0 cache at the prompt's depth (after main-build)
  # (-ncmoe counts blocks: GLM's 5 is 4 MoE layers; the ninth lease ran 4, 3 MoE layers)
  built lcpp; pause_build STOP; b=/root/lcpp/build/bin/llama-bench; model qwen3moe-speed gen_qwen3moe.py
  for p in "qwen3moe-speed 0,24" "glm-dsa-speed 0,5" "qwen35moe-speed 0,4"; do
    set -- $p
    for k in f16 q8_0; do
      $b -m /root/$1.gguf -ngl 999 -fa 1 -b 4096 -ub 4096 -ncmoe $2 -lm none -p 0 -n 128 -d 0,4096,16384 \
          -ctk $k -ctv $k -t 16 -r 1 -o csv >> "$OUT/gen-depth.csv"
    done
  done
  pause_build CONT ;;
gen-depth-recheck)
  # after gen-depth: GLM-5.1's prompt with 4 MoE layers on the CPU (-ncmoe 5) three times and --verify on it again, and
  # qwen3moe's 24-layer generation with f16 and q8_0 caches in turns (the host's bandwidth drifts). On the ninth lease
  # it ran -ncmoe 4 (3 MoE layers: 1,332 tokens a second, which looked like a gap to --verify's 1,058 at 4)
  built lcpp; pause_build STOP; b=/root/lcpp/build/bin/llama-bench; unpack_tool; model qwen3moe-speed gen_qwen3moe.py
  $b -m /root/glm-dsa-speed.gguf -ngl 999 -fa 1 -b 4096 -ub 512 -ncmoe 5 -lm none -p 2048 -n 0 -t 16 -r 3 -o csv \
      > "$OUT/recheck-glm.csv"
  PLAN_MODEL=/root/glm-dsa-speed.gguf grandpa_plan --n-cpu-moe 4 --verify --server /root/lcpp/build/bin/llama-server \
      --verify-for 200 > "$OUT/verify-glm-again.txt" 2>&1
  for k in f16 q8_0 f16 q8_0; do
    $b -m /root/qwen3moe-speed.gguf -ngl 999 -fa 1 -b 4096 -ub 4096 -ncmoe 24 -lm none -p 0 -n 128 -d 0,2048 \
        -ctk $k -ctv $k -t 16 -r 1 -o csv >> "$OUT/recheck-kv.csv"
  done
  pause_build CONT ;;
verify-shapes)
  # --verify on the GLM-5.1 and Qwen3.5 shapes (8 layers each, 4 MoE layers on the CPU) and llama-bench at the same
  # placement (after main-build with MAIN_TARGETS="llama-bench llama-server", and placement-tool.sh here)
  built lcpp; pause_build STOP; unpack_tool
  # (grandpa's --n-cpu-moe counts MoE layers, llama-bench's -ncmoe blocks: GLM's dense block 0 makes it 5; the ninth
  # lease ran 4 for both, so its GLM llama-bench row has 3 MoE layers on the CPU)
  for p in "glm-dsa-speed 5" "qwen35moe-speed 4"; do
    set -- $p; m=$1
    PLAN_MODEL=/root/$m.gguf grandpa_plan --n-cpu-moe 4 --verify --server /root/lcpp/build/bin/llama-server \
        --verify-for 200 > "$OUT/verify-$m.txt" 2>&1
    NCMOE=$2 MODES=none UBS=512 PROMPT=2048 GEN=128 REPS=1 "$here/speed/measure.sh" /root/lcpp/build/bin/llama-bench \
        /root/$m.gguf >> "$OUT/verify-shapes-bench.csv"
  done
  pause_build CONT ;;
placement-verify)
  # grandpa's own path end to end on the lease (after main-build with MAIN_TARGETS="llama-bench llama-server", and
  # scripts/h200/placement-tool.sh here: carry target/placement-tool.tar.gz): its host bandwidth probe at four buffer
  # sizes; then `grandpa placement --verify` plans qwen3moe's shape with what its probe measures (4 GiB), starts
  # mainline's llama-server as planned, asks it one request and prints plan against buffers and speed, and
  # llama-bench measures the same placement
  built lcpp; pause_build STOP; model qwen3moe-speed gen_qwen3moe.py; unpack_tool
  for b in 512MiB 2GiB 4GiB 16GiB 4GiB; do
    echo "probe-buffer $b: $(grandpa_plan --n-cpu-moe 48 --probe-buffer $b | grep 'predicted generation')" >> "$OUT/probe.txt"
  done
  for n in ${VERIFY_NCMOE:-48 0}; do
    grandpa_plan --n-cpu-moe $n --verify --server /root/lcpp/build/bin/llama-server \
        --verify-for 200 > "$OUT/verify-$n.txt" 2>&1
    NCMOE=$n MODES=none UBS=512 PROMPT=2048 GEN=128 REPS=1 "$here/speed/measure.sh" /root/lcpp/build/bin/llama-bench \
        /root/qwen3moe-speed.gguf >> "$OUT/verify-bench.csv"
  done
  pause_build CONT ;;
ik-gen)
  # Qwen3.5's attention over a long context under ik (whole GPU, 16 batches of 4,096), then generation at each split
  # of the three shapes, 128 tokens at depth 0 and again at 512 (two samples a run), qwen3moe's 48 CPU layers first
  built ik; b=/root/ik/build/bin/llama-sweep-bench
  model qwen3moe-speed gen_qwen3moe.py; model qwen35moe-speed gen_qwen35moe.py 8; model glm-dsa-speed gen_glmdsa.py 8
  echo "== qwen35moe-speed --n-cpu-moe 0 -ub 4096 -c 65536" >> "$OUT/ik-depth.txt"
  timeout 120 $b -m /root/qwen35moe-speed.gguf -c 65536 -b 4096 -ub 4096 -n 32 -ngl 999 --n-cpu-moe 0 2>&1 \
    | grep -E "^\||buffer size" >> "$OUT/ik-depth.txt"
  for p in "qwen3moe-speed 48" "qwen3moe-speed 24" "qwen3moe-speed 12" "qwen35moe-speed 0" "qwen35moe-speed 2" \
           "qwen35moe-speed 4" "qwen35moe-speed 8" "glm-dsa-speed 0" "glm-dsa-speed 2" "glm-dsa-speed 4" "glm-dsa-speed 6"; do
    set -- $p
    echo "== $1 --n-cpu-moe $2 -ub 512 -n 128" >> "$OUT/ik-gen.txt"
    timeout 90 $b -m /root/$1.gguf -c 1024 -b 4096 -ub 512 -n 128 -ngl 999 --n-cpu-moe $2 2>&1 \
      | grep -E "^\||buffer size" >> "$OUT/ik-gen.txt"
  done ;;
main-glm-speed)
  # GLM-5.1's prompt speed under mainline, routers scaled for its sigmoid gate (about 80 seconds); then attention's
  # growth with depth over MLA's latent (run as main-gen's last line on the fourth lease)
  built lcpp; model glm-dsa-speed gen_glmdsa.py 8; b=/root/lcpp/build/bin/llama-bench
  NCMOE=0,3,5,7 MODES=none UBS=4096,512 PROMPT=2048 GEN=0 REPS=1 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf | tee "$OUT/main-speed-glm.csv"
  NCMOE=0,5 MODES=none UBS=4096 PROMPT=2048 GEN=32 REPS=1 DEPTHS=16384,65536 "$here/speed/measure.sh" $b /root/glm-dsa-speed.gguf | tee "$OUT/main-speed-glm-depth.csv" ;;
esac
