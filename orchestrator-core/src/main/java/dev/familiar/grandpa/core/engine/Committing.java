package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.workspace.repo.Committed;

/**
 * What a passed change in a repository becomes once the task's branch has answered: accepted at the
 * commit it made, or, when changes accepted meanwhile touched the same lines, sent back to be made again
 * on the merged state (a "revise" by integration, with the failed merge as its check).
 */
public final class Committing {
    private Committing() {
    }

    /** The verdict to store for a change that passed its judge, after trying to commit it. */
    public sealed interface Outcome {}

    /** The change is on the branch at {@code head}: the passed verdict stands. */
    public record Accept(Judgement judgement, String head) implements Outcome {}

    /** The change no longer applies: made again, with why, and the merge that failed stored as a check. */
    public record Revise(Judgement judgement, StoredCheck merge) implements Outcome {}

    public static Outcome after(Committed committed, Judgement passed, Attempt attempt) {
        return switch (committed) {
            case Committed.Applied applied -> new Accept(passed, applied.head());
            case Committed.Conflict conflict -> new Revise(new Judgement(Verdict.REVISE, passed.score(),
                    "Your change was right, but changes accepted meanwhile touched the same lines, so it no longer "
                            + "applies. Your working copy now holds them: make your change again on it.\n" + conflict.detail(),
                    passed.checks(), JudgedBy.INTEGRATION),
                    StoredCheck.of(attempt.taskId(), attempt.id(), "merge", null, null, null, 0, false, false, conflict.detail()));
        };
    }
}
