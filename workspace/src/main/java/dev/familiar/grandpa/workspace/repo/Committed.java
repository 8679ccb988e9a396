package dev.familiar.grandpa.workspace.repo;

/** What became of a change put on a task's branch. */
public sealed interface Committed {
    /** On the branch; {@code head} is its new head (unchanged when the change was empty). */
    record Applied(String head, boolean changed) implements Committed {}

    /** It does not apply to the branch as it is now (another change touched the same lines). */
    record Conflict(String detail) implements Committed {}
}
