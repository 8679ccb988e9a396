package dev.familiar.grandpa.core.security;

/** What a token may do; each role may do what the one before it may. */
public enum Role {
    /** Reads: tasks, events, backends, runtime, metrics, dashboards. */
    VIEWER,
    /** Submits, cancels and resumes tasks. */
    OPERATOR,
    /** Changes backends and the runtime. */
    ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
