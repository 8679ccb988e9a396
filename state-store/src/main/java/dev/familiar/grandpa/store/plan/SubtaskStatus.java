package dev.familiar.grandpa.store.plan;

public enum SubtaskStatus {
    /** Waiting for its dependencies or being worked on. */
    PENDING,
    /** An output passed evaluation; later plan versions keep it. */
    ACCEPTED,
    /** Dropped by a re-plan before it was accepted. */
    SUPERSEDED
}
