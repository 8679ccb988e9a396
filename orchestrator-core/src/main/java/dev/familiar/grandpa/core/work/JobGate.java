package dev.familiar.grandpa.core.work;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where the jobs run (a virtual thread each) and whether they may still store anything: once the service
 * stops, work that has not started does not start, and work for an abandoned task stores nothing.
 */
final class JobGate implements AutoCloseable {
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopping;

    ExecutorService io() {
        return io;
    }

    /** The service stops: work that has not started yet does not start; what runs finishes and stores. */
    void stopStarting() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether work for this task stores nothing (the service stops, or the task was abandoned). */
    boolean skip(HeldTask work) {
        return stopping || work.abandoned;
    }

    /** Waits a little for interrupted calls to store that they were stopped, then stops the rest. */
    @Override
    public void close() {
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
    }
}
