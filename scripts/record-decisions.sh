#!/usr/bin/env bash
# Records the decisions of real runs as the replay test's fixtures: runs integration tests that go through
# crashes (the chaos run), restarts and sharing, conflicts, re-plans, blocks and resumes, waits for coders
# that are away, and the first judge, with grandpa.engine.decision-log on; then keeps a few of each kind
# of decision (scripts/pick-decisions.py) in orchestrator-core/src/test/resources/decisions/.
#   scripts/record-decisions.sh            (about 5 minutes)
# A change that alters a decision makes DecisionReplayTest fail; record again on purpose, and read the diff.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
(cd "$here" && ./mvnw -B -ntp -q install -DskipTests \
    && GRANDPA_ENGINE_DECISIONLOG="$log" ./mvnw -B -ntp verify -pl orchestrator-core -Dtest=none \
        -Dsurefire.failIfNoSpecifiedTests=false \
        -Dit.test='TaskLifecycleIT,RepositoryTasksIT,CancelAndResumeIT,RestartAndSharingIT,CoderAwayIT,ChaosRunIT,FirstJudgeIT')
python3 "$here/scripts/pick-decisions.py" "$log" "$here/orchestrator-core/src/test/resources/decisions/recorded.jsonl"
