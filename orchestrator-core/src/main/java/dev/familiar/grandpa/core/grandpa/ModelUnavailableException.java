package dev.familiar.grandpa.core.grandpa;

/** The grandpa model could not be asked (down, loading, timing out); the task waits and tries again. */
public class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
