#!/usr/bin/env bash
# The crash run: grandpa (from its jar) works 200 tasks on stand-in models while it is killed with
# SIGKILL at random moments and its PostgreSQL is restarted twice under it; it checks that every
# restart came up on its first try and that no task was lost or worked twice. See BENCHMARKS.md,
# RELIABILITY. Arguments pass through: tasks=N kills=N seed=N.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -ntp -q install -DskipTests
exec ./mvnw -B -ntp -q -pl orchestrator-core exec:java -Dexec.mainClass=dev.familiar.grandpa.core.bench.CrashRun \
    -Dexec.args="$*"
