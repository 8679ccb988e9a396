package dev.familiar.grandpa.store.eval;

/** Where one case of a run stands. */
public enum EvalCaseStatus {
    /** Not given a task yet. */
    PENDING,
    /** Its task is being worked. */
    RUNNING,
    /** Its task ended DONE and the held-out check passed on the branch head. */
    SOLVED,
    /** Its task ended otherwise, or the held-out check failed. */
    UNSOLVED
}
