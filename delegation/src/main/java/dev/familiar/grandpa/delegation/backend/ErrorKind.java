package dev.familiar.grandpa.delegation.backend;

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
    UNKNOWN
}
