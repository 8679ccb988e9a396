package dev.familiar.grandpa.core.grandpa;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Where work for grandpa's model waits its turn: one call at a time, in order of arrival, as its one
 * resident session serves them. Waiting work is a queue entry, not a thread.
 */
public final class ModelDesk implements AutoCloseable {
    private final ExecutorService session = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("grandpa-model").factory());

    /** Runs the work when the model's turn comes; the future fails with what the work threw. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, session);
    }

    @Override
    public void close() {
        session.shutdownNow();
    }
}
