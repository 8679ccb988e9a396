package dev.familiar.grandpa.store.recovery;

/** The rungs of the recovery ladder, climbed in this order. */
public enum Rung {
    RETRY_WITH_FEEDBACK,
    OTHER_BACKEND,
    REPLAN,
    BLOCK,
    /** Not a rung climbed: an accepted change conflicted with the branch, and the subtask is made again on it. */
    CONFLICT,
    /** A person resumed a blocked task; the ladder starts again from the bottom. */
    RESUME
}
