package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.concurrent.atomic.AtomicBoolean;

/** A routing's answer: the backend to call, why, and its place in that backend's load until closed. */
public final class Lease implements AutoCloseable {
    private final CoderBackend backend;
    private final String reason;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    Lease(CoderBackend backend, String reason, Runnable release) {
        this.backend = backend;
        this.reason = reason;
        this.release = release;
    }

    public CoderBackend backend() {
        return backend;
    }

    public String reason() {
        return reason;
    }

    /** Frees the place; closing again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
