package dev.familiar.grandpa.delegation.backend;

/** How one kind of backend is called; guards (slots, circuit, retry, time limit) wrap it in {@link CoderBackend}. */
interface CoderClient {
    CoderReply call(Assignment assignment) throws CallFailure;

    /** A cheap check that the backend is there, for the health probe. */
    boolean probe();
}
