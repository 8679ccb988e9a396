package dev.familiar.grandpa.core.evaluation;

import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import java.util.List;

/** The outcome of evaluating one output: the checks that ran, and the verdict with its reasons. */
public record Judgement(Verdict verdict, Double score, String feedback, List<String> checks, JudgedBy judgedBy) {
    public Judgement {
        checks = List.copyOf(checks);
    }
}
