package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.Purpose;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where work for grandpa's model waits its turn: one call at a time per lane, a lane per resident
 * session (one per slot the model's server gives grandpa), each lane taking the next piece of work as
 * it is free. Work that brings a running task closer to its end goes first (integrations, then
 * judgements, then plans), in order of arrival within each, so tasks already under way finish before
 * new ones start taking the model. Waiting work is a queue entry, not a thread. Work knows its lane by
 * {@link #lane()}, so it asks that lane's session.
 */
public final class ModelQueue implements AutoCloseable {
    private static final ThreadLocal<Integer> LANE = new ThreadLocal<>();

    private final AtomicLong arrivals = new AtomicLong();
    private final ThreadPoolExecutor session;

    public ModelQueue() {
        this(1);
    }

    public ModelQueue(int lanes) {
        var next = new java.util.concurrent.atomic.AtomicInteger();
        session = new ThreadPoolExecutor(lanes, lanes, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), work -> {
            int lane = next.getAndIncrement();
            return Thread.ofVirtual().name("grandpa-model-" + lane).unstarted(() -> {
                LANE.set(lane);
                work.run();
            });
        });
    }

    /** The lane the calling work runs on: its session's index; 0 off the queue (tests, benchmarks). */
    public static int lane() {
        Integer lane = LANE.get();
        return lane == null ? 0 : lane;
    }

    /** Runs the work when its turn comes; the future fails with what the work threw. */
    public <T> CompletableFuture<T> enqueue(Purpose purpose, Supplier<T> work) {
        var result = new CompletableFuture<T>();
        session.execute(new Turn(rank(purpose), arrivals.getAndIncrement(), () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    private static int rank(Purpose purpose) {
        return switch (purpose) {
            case INTEGRATE -> 0;
            case JUDGE -> 1;
            case PLAN -> 2;
        };
    }

    private record Turn(int rank, long arrival, Runnable work) implements Runnable, Comparable<Turn> {
        @Override
        public void run() {
            work.run();
        }

        @Override
        public int compareTo(Turn other) {
            return rank != other.rank ? Integer.compare(rank, other.rank) : Long.compare(arrival, other.arrival);
        }
    }

    @Override
    public void close() {
        session.shutdownNow();
    }
}
