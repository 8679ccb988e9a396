package dev.familiar.grandpa.cli;

/** grandpa could not be reached, or refused the request; the message says why in the service's words. */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
        return status;
    }
}
