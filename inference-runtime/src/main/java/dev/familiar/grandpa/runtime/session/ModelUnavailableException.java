package dev.familiar.grandpa.runtime.session;

/** The grandpa model could not be asked (down, loading, timing out); the task waits and tries again. */
public class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
