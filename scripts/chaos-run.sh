#!/usr/bin/env bash
# The chaos run: grandpa (from its jar) works 200 tasks, every fourth in a git repository, on stand-in
# models while it is killed with SIGKILL at random moments, its PostgreSQL is restarted under it,
# grandpa's model is killed mid-answer and comes back, and a coder flaps; it checks that every task ends
# DONE without a person, nothing is accepted or committed twice, and every restart came up on its first
# try. See BENCHMARKS.md, RELIABILITY. Arguments pass through: tasks=N kills=N pg-restarts=N model-kills=N seed=N.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -ntp -q install -DskipTests
exec ./mvnw -B -ntp -q -pl orchestrator-core exec:java -Dexec.mainClass=dev.familiar.grandpa.core.chaos.ChaosRun \
    -Dexec.args="$*"
