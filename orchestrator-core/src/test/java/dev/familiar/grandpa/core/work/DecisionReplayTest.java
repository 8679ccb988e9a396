package dev.familiar.grandpa.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.engine.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decisions recorded from real runs (the suite's crashes, restarts, conflicts, re-plans, blocks, resumes and
 * waits: {@code scripts/record-decisions.sh}) decided again from the stored state, time and rules give the
 * same steps: a restarted instance, or a newer version, decides as the one that recorded them. A change that
 * alters a decision fails here until the fixtures are recorded again on purpose.
 */
class DecisionReplayTest {
    static final String FIXTURES = "/decisions/recorded.jsonl";

    @Test
    void everyRecordedDecisionIsDecidedTheSameWayAgain() throws IOException {
        List<String> lines;
        try (InputStream in = DecisionReplayTest.class.getResourceAsStream(FIXTURES)) {
            assertThat(in).as(FIXTURES + ": record it with scripts/record-decisions.sh").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).as("recorded decisions").hasSizeGreaterThan(50);
        var kinds = new HashMap<String, Integer>();
        for (String line : lines) {
            var decision = DecisionLog.JSON.readValue(line, DecisionLog.Decision.class);
            Step again = new NextStep(decision.rules()).decide(decision.state(), decision.now());
            assertThat(again).as("task " + decision.state().task().id() + " at " + decision.now()).isEqualTo(decision.step());
            kinds.merge(decision.step().getClass().getSimpleName(), 1, Integer::sum);
        }
        assertThat(kinds.keySet()).as("the fixtures hold every kind of step worth replaying")
                .contains("Plan", "Advance", "Idle", "Wait", "Integrate", "Block", "Stop");
        assertThat(lines.stream().anyMatch(l -> l.contains("\"rung\":\"REPLAN\"") || l.contains("\"cause\":\""))).as("re-plans").isTrue();
        assertThat(lines.stream().anyMatch(l -> l.contains("\"ruled\":{"))).as("judged by rule").isTrue();
        assertThat(lines.stream().anyMatch(l -> l.contains("\"judgedBy\":\"integration\""))).as("conflicts").isTrue();
        assertThat(Map.copyOf(kinds)).isNotEmpty();
    }
}
