package dev.familiar.grandpa.store.attempt;

public enum Verdict {
    PASS,
    /** Close; worth another try with the feedback. */
    REVISE,
    /** Not usable; another backend or a new plan is needed. */
    FAIL
}
