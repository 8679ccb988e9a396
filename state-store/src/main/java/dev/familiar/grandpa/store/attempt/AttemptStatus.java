package dev.familiar.grandpa.store.attempt;

public enum AttemptStatus {
    /** Stored before the backend call; still STARTED after a crash means the call was interrupted. */
    STARTED,
    SUCCEEDED,
    FAILED,
    /** The service stopped during the call; the call is made again as a new attempt. */
    INTERRUPTED
}
