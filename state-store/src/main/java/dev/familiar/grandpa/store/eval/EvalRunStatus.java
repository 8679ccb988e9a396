package dev.familiar.grandpa.store.eval;

/** Where a bake-off run stands. */
public enum EvalRunStatus {
    /** Its cases are being worked (it goes on after a restart by itself). */
    RUNNING,
    /** Stopped by a person; resuming it runs the cases that did not finish. */
    CANCELLED,
    /** Every case has its outcome. */
    FINISHED
}
