package dev.familiar.grandpa.store.recovery;

/** The rungs of the recovery ladder, climbed in this order. */
public enum Rung {
    RETRY_WITH_FEEDBACK,
    OTHER_BACKEND,
    REPLAN,
    BLOCK,
    /** A person resumed a blocked task; the ladder starts again from the bottom. */
    RESUME
}
