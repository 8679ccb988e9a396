package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.recovery.Rung;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a subtask's next attempt from its stored history alone, so a restarted service decides
 * exactly as the stopped one would have: a retry with the judge's feedback on the same backend,
 * then another backend; when routing finds no backend left the subtask is exhausted and the task re-plans.
 * A change that passed but did not apply to the task's branch is made again on the branch as it is now,
 * on the same backend, a few times before it counts as a "revise".
 */
public final class RecoveryLadder {
    /** Conflicts in a row a subtask is made again for before they count against it. */
    static final int CONFLICT_RETRIES = 3;

    private final int retriesWithFeedback;

    public RecoveryLadder(int retriesWithFeedback) {
        this.retriesWithFeedback = retriesWithFeedback;
    }

    /**
     * The next call of a subtask that is not accepted yet: {@code pinned} names its backend (null lets
     * routing choose among the rest); {@code rung} and {@code reason} say which recovery step it is.
     */
    public record Call(String pinned, Set<String> exclude, String feedback, Rung rung, String reason) {}

    /**
     * @param history     the subtask's attempts since the task was last resumed, oldest first
     * @param evaluations evaluations by attempt id
     */
    public Call next(List<Attempt> history, Map<Long, Evaluation> evaluations) {
        if (history.isEmpty()) {
            return new Call(null, Set.of(), null, null, null);
        }
        Attempt last = history.getLast();
        Set<String> tried = new LinkedHashSet<>();
        history.forEach(a -> tried.add(a.backend()));
        if (last.status() == AttemptStatus.INTERRUPTED || last.status() == AttemptStatus.STARTED) {
            return new Call(last.backend(), Set.of(), last.feedback(), null, null);
        }
        if (last.status() == AttemptStatus.FAILED) {
            return otherBackend(tried, last.feedback(), last.backend() + " failed: " + last.error());
        }
        Evaluation evaluation = evaluations.get(last.id());
        if (evaluation == null || evaluation.verdict() == Verdict.PASS) {
            throw new IllegalStateException("attempt " + last.id() + " needs evaluating, not a next step");
        }
        if (evaluation.judgedBy() == JudgedBy.INTEGRATION && conflictsAtTheEnd(history, evaluations) <= CONFLICT_RETRIES) {
            return new Call(last.backend(), Set.of(), evaluation.feedback(), Rung.CONFLICT,
                    last.backend() + "'s change conflicted with changes accepted meanwhile; made again on the branch as it is now");
        }
        String verdict = "judge said " + evaluation.verdict().name().toLowerCase() + " on " + last.backend()
                + "'s output: " + evaluation.feedback();
        if (evaluation.verdict() == Verdict.REVISE && retriesOn(last.backend(), history, evaluations) < retriesWithFeedback) {
            return new Call(last.backend(), Set.of(), evaluation.feedback(), Rung.RETRY_WITH_FEEDBACK, verdict);
        }
        return otherBackend(tried, evaluation.feedback(), verdict);
    }

    private static Call otherBackend(Set<String> tried, String feedback, String reason) {
        return new Call(null, tried, feedback, Rung.OTHER_BACKEND, reason);
    }

    private static int conflictsAtTheEnd(List<Attempt> history, Map<Long, Evaluation> evaluations) {
        int run = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            Evaluation e = evaluations.get(history.get(i).id());
            if (e == null || e.judgedBy() != JudgedBy.INTEGRATION) {
                break;
            }
            run++;
        }
        return run;
    }

    /**
     * Retries with feedback already made on this backend: its consecutive attempts at the end, less the
     * first (one made again after a conflict does not count).
     */
    private static int retriesOn(String backend, List<Attempt> history, Map<Long, Evaluation> evaluations) {
        int run = 0;
        for (int i = history.size() - 1; i >= 0 && history.get(i).backend().equals(backend); i--) {
            Evaluation e = evaluations.get(history.get(i).id());
            if (history.get(i).status() == AttemptStatus.SUCCEEDED && (e == null || e.judgedBy() != JudgedBy.INTEGRATION)) {
                run++;
            }
        }
        return Math.max(0, run - 1);
    }
}
