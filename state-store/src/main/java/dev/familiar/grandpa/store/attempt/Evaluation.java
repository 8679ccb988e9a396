package dev.familiar.grandpa.store.attempt;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The judgement of one attempt's output: structural checks, then grandpa's verdict. */
public record Evaluation(
        long id,
        UUID taskId,
        UUID subtaskId,
        long attemptId,
        Verdict verdict,
        Double score,
        String feedback,
        List<String> checks,
        JudgedBy judgedBy,
        Instant createdAt) {

    public Evaluation {
        checks = List.copyOf(checks);
    }
}
