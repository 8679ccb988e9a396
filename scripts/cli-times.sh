#!/usr/bin/env bash
# How long each command of the command-line client takes, the JVM's start included: a demo service
# (stand-in models) in a folder of its own, one task, then each command N times through ./grandpa.
#   scripts/cli-times.sh [runs=5] [before=<an older grandpa.jar whose commands ran inside the service jar>]
# Prints the median in milliseconds per command (and the older jar's, when given, in the same run).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
runs=5 before=""
for arg in "$@"; do case "$arg" in runs=*) runs=${arg#runs=} ;; before=*) before=${arg#before=} ;; esac; done
(cd "$here" && ./mvnw -B -ntp -q package -DskipTests)
dir=$(mktemp -d) port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$dir"' EXIT
(cd "$dir" && exec "$JAVA_HOME/bin/java" -jar "$here/orchestrator-core/target/grandpa.jar" --spring.profiles.active=demo \
    --server.port="$port" > service.log 2>&1) & service=$!
export GRANDPA_URL="http://127.0.0.1:$port"
for _ in $(seq 120); do [ -f "$dir/data/admin.token" ] && curl -fs "$GRANDPA_URL/actuator/health/liveness" >/dev/null && break; sleep 1; done
export GRANDPA_TOKEN=$(cat "$dir/data/admin.token")
id=$("$here/grandpa" submit "Add a /healthz endpoint")
"$here/grandpa" watch "$id" > /dev/null || true
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { for _ in $(seq "$runs"); do s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e-s)/1000000 )); done | median; }
printf '%-22s %10s %10s\n' command "./grandpa" "${before:+before}"
for c in "--help" "ls" "show $id" "show --json $id" "backends" "runtime" "diff $id"; do
    # shellcheck disable=SC2086
    now=$(time_of "$here/grandpa" $c)
    old=""; [ -n "$before" ] && old=$(time_of "$JAVA_HOME/bin/java" -jar "$before" $c)
    printf '%-22s %8s ms %8s\n' "${c/$id/<id>}" "$now" "${old:+$old ms}"
done
