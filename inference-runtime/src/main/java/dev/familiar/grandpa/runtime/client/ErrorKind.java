package dev.familiar.grandpa.runtime.client;

/** Why a backend call failed, in words that decide what to do next. */
public enum ErrorKind {
    TIMEOUT,
    SERVER_ERROR,
    RATE_LIMITED,
    CLIENT_ERROR,
    UNREACHABLE,
    CONNECTION_LOST,
    MALFORMED_RESPONSE,
    EMPTY_RESPONSE,
    /** All of the backend's slots stayed busy for longer than the wait allowed. */
    BUSY,
    /** Its circuit breaker is open after repeated failures; not called. */
    CIRCUIT_OPEN,
    /** A command-line agent exited with a non-zero status. */
    COMMAND_FAILED,
    /** The caller was interrupted (grandpa is stopping); says nothing about the backend. */
    INTERRUPTED,
    UNKNOWN;

    /** Errors that may pass if the same call is made again shortly. */
    public boolean transientError() {
        return this == CONNECTION_LOST || this == RATE_LIMITED || this == UNREACHABLE;
    }

    /**
     * Errors of the backend, not of the work: it is away, restarting, overloaded or slow (a model swap, a
     * reboot). The work waits for a backend and goes on; it spends no retry and no rung of recovery.
     */
    public boolean healsByItself() {
        return this == TIMEOUT || this == SERVER_ERROR || this == RATE_LIMITED || this == UNREACHABLE
                || this == CONNECTION_LOST || this == BUSY || this == CIRCUIT_OPEN;
    }

    /** Errors that say something about the backend's health, for its circuit breaker. */
    public boolean backendFault() {
        return this != BUSY && this != CIRCUIT_OPEN && this != CLIENT_ERROR && this != INTERRUPTED;
    }
}
