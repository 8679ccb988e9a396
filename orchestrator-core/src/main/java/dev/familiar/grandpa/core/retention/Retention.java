package dev.familiar.grandpa.core.retention;

import dev.familiar.grandpa.store.retention.RetentionRepository;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes old work at an interval, in batches of short transactions, on one instance at a time (a
 * PostgreSQL advisory lock: an instance that finds it taken skips its turn); also sweeps this
 * instance's checkouts of worktrees kept after failed checks.
 */
class Retention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 500;

    private final RetentionRepository repository;
    private final RetentionSettings settings;
    private final TransactionTemplate tx;
    private final IntSupplier sweepCheckouts;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("grandpa-retention").daemon().factory());

    /** @param sweepCheckouts takes away old worktrees on this instance's disk; returns how many */
    public Retention(RetentionRepository repository, RetentionSettings settings, TransactionTemplate tx,
                     IntSupplier sweepCheckouts) {
        this.repository = repository;
        this.settings = settings;
        this.tx = tx;
        this.sweepCheckouts = sweepCheckouts;
    }

    public void start() {
        long every = settings.every().toMillis();
        timer.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** What one pruning deleted. */
    public record Pruned(int tasks, int outputEvents) {}

    /** Prunes now; empty counts when another instance is pruning. */
    public Pruned prune() {
        int tasks = 0;
        int events = 0;
        int batch;
        do {
            Integer deleted = tx.execute(status -> repository.takeTurn()
                    ? repository.deleteFinishedTasks(settings.finishedTasks(), BATCH) : -1);
            batch = deleted == null ? 0 : deleted;
            tasks += Math.max(batch, 0);
        } while (batch == BATCH);
        do {
            Integer deleted = tx.execute(status -> repository.takeTurn()
                    ? repository.deleteOutputEvents(settings.outputEvents(), BATCH * 20) : -1);
            batch = deleted == null ? 0 : deleted;
            events += Math.max(batch, 0);
        } while (batch == BATCH * 20);
        if (tasks + events > 0) {
            log.info("Retention: deleted {} finished task(s) older than {} and {} relayed output piece(s) older than {}",
                    tasks, settings.finishedTasks(), events, settings.outputEvents());
        }
        return new Pruned(tasks, events);
    }

    private void pruneQuietly() {
        try {
            prune();
        } catch (RuntimeException e) {
            log.warn("Retention could not prune this time: {}", e.getMessage());
        }
        try {
            int swept = sweepCheckouts.getAsInt();
            if (swept > 0) {
                log.info("Retention: took away {} worktree(s) kept after failed checks", swept);
            }
        } catch (RuntimeException e) {
            log.warn("Retention could not sweep the worktrees this time: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
