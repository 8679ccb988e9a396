package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.runtime.client.ErrorKind;
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
 * on the same backend, a few times before it counts as a "revise". A call that failed for the backend's
 * sake (away, restarting, overloaded: {@link ErrorKind#healsByItself()}) is no failure of the work: it
 * is made again wherever a backend can take it, climbing no rung (a call that keeps timing out on a
 * backend that answers its probes is the exception: after a few in a row it counts as failed).
 */
public final class RecoveryLadder {
    /** Conflicts in a row a subtask is made again for before they count against it. */
    static final int CONFLICT_RETRIES = 3;
    /** Time-outs in a row after which the work, not the backend, is taken to be the trouble. */
    static final int TIMEOUTS_IN_A_ROW = 3;

    private final int retriesWithFeedback;

    public RecoveryLadder(int retriesWithFeedback) {
        this.retriesWithFeedback = retriesWithFeedback;
    }

    /**
     * The next call of a subtask that is not accepted yet: {@code pinned} names its backend (null lets
     * routing choose among the rest); {@code rung} and {@code reason} say which recovery step it is;
     * {@code avoid} names a backend that just failed it for its own sake, taken only when no other can.
     */
    public record Call(String pinned, Set<String> exclude, String feedback, Rung rung, String reason, Set<String> avoid) {
        public Call {
            avoid = avoid == null ? Set.of() : Set.copyOf(avoid);
        }

        public Call(String pinned, Set<String> exclude, String feedback, Rung rung, String reason) {
            this(pinned, exclude, feedback, rung, reason, Set.of());
        }

        /**
         * Whether routing may choose this call's backend freely, as it did when the plan was scheduled:
         * then the place the subtask holds in line is used; else it is given up and routing asked again.
         */
        public boolean routedFreely() {
            return pinned == null && exclude.isEmpty() && avoid.isEmpty();
        }

        /** Why the subtask is exhausted when routing finds no backend left for this call. */
        public String unroutable(String capability) {
            return (reason == null ? "" : reason + "; ") + "no backend left with capability " + capability
                    + (exclude.isEmpty() ? "" : " (tried " + String.join(", ", exclude) + ")");
        }
    }

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
        history.stream().filter(a -> !healsByItself(a, history)).forEach(a -> tried.add(a.backend()));
        if (last.status() == AttemptStatus.INTERRUPTED || last.status() == AttemptStatus.STARTED) {
            return new Call(last.backend(), Set.of(), last.feedback(), null, null);
        }
        if (last.status() == AttemptStatus.FAILED && healsByItself(last, history)) {
            return new Call(null, tried, last.feedback(), null, null, Set.of(last.backend()));
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

    /** Whether the attempt failed for its backend's sake, not the work's. */
    static boolean healsByItself(Attempt attempt, List<Attempt> history) {
        if (attempt.status() != AttemptStatus.FAILED || attempt.errorKind() == null) {
            return false;
        }
        ErrorKind kind;
        try {
            kind = ErrorKind.valueOf(attempt.errorKind());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (kind != ErrorKind.TIMEOUT) {
            return kind.healsByItself();
        }
        int timeouts = 0; // time-outs in a row up to this attempt
        for (int i = history.indexOf(attempt); i >= 0 && "TIMEOUT".equals(history.get(i).errorKind()); i--) {
            timeouts++;
        }
        return timeouts < TIMEOUTS_IN_A_ROW;
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
