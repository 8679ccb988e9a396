package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

/** A failed model call, classified. */
public class CallFailure extends Exception {
    private final ErrorKind kind;
    private final long durationMs;

    public CallFailure(ErrorKind kind, String message, long durationMs, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.durationMs = durationMs;
    }

    public ErrorKind kind() {
        return kind;
    }

    public long durationMs() {
        return durationMs;
    }

    /** Classifies what a LangChain4j call threw by walking its causes. */
    public static CallFailure classify(String backend, Throwable error, long durationMs) {
        ErrorKind kind = ErrorKind.UNKNOWN;
        for (Throwable t = error; t != null; t = t.getCause()) {
            ErrorKind found = kindOf(t);
            if (found != null) {
                kind = found;
                break;
            }
        }
        String message = backend + ": " + kind.name().toLowerCase().replace('_', ' ') + ": " + firstLine(error);
        return new CallFailure(kind, message, durationMs, error);
    }

    private static ErrorKind kindOf(Throwable t) {
        if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException) {
            return ErrorKind.INTERRUPTED;
        }
        if (t instanceof TimeoutException || t instanceof HttpTimeoutException
                || t instanceof java.util.concurrent.TimeoutException) {
            return ErrorKind.TIMEOUT;
        }
        if (t instanceof HttpException http) {
            int status = http.statusCode();
            if (status == 429) {
                return ErrorKind.RATE_LIMITED;
            }
            return status >= 500 ? ErrorKind.SERVER_ERROR : ErrorKind.CLIENT_ERROR;
        }
        if (t instanceof ConnectException) {
            return ErrorKind.UNREACHABLE;
        }
        // Jackson's parse errors are IOExceptions too: a body that is not JSON is checked first.
        if (t.getClass().getName().contains("Json") || t.getClass().getName().contains("jackson")) {
            return ErrorKind.MALFORMED_RESPONSE;
        }
        if (t instanceof IOException) {
            return ErrorKind.CONNECTION_LOST;
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
