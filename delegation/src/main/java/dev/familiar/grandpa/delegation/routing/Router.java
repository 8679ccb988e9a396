package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the backend for a subtask among those with the wanted capability that routing may use
 * (enabled, not draining, healthy, circuit not open) and that this subtask has not failed on. Each
 * scores its recorded success rate for the capability over the time a call would take there: its
 * usual call time (a backend that has not answered yet counts as fast as the fastest one, so it gets
 * tried) stretched by its load
 * ({@code (slots + calls routed and not finished) / slots}), so a busy good backend still wins over
 * an idle bad one until its queue grows, and a fast one takes more than a slow one; ties go to the
 * cheaper. Every {@code exploreEvery}-th
 * decision for a capability goes instead to the candidate chosen least recently, if that was at
 * least {@code exploreAfter} ago, so a backend that recovered gets traffic again and its record can
 * improve, while a busy service does not keep paying for calls to a backend it knows to be poor.
 */
public final class Router {
    private final BackendRegistry registry;
    private final OutcomeHistory history;
    private final int exploreEvery;
    private final long exploreAfterNanos;
    /** The longest a routing waits for a slot before it queues on the best backend anyway. */
    private final long maxWaitNanos = Duration.ofMinutes(10).toNanos();
    private final Map<String, Integer> load = new HashMap<>();
    private final Map<String, Long> decisions = new HashMap<>();
    /** capability/backend → when it was last chosen (System.nanoTime). */
    private final Map<String, Long> lastChosen = new HashMap<>();

    public Router(BackendRegistry registry) {
        this(registry, OutcomeHistory.NONE, 10, Duration.ZERO);
    }

    public Router(BackendRegistry registry, OutcomeHistory history, int exploreEvery, Duration exploreAfter) {
        this.registry = registry;
        this.history = history;
        this.exploreEvery = exploreEvery;
        this.exploreAfterNanos = exploreAfter.toNanos();
    }

    /** A routing that holds its place in the backend's load until closed. */
    public final class Lease implements AutoCloseable {
        private final CoderBackend backend;
        private final String reason;
        private boolean closed;

        private Lease(CoderBackend backend, String reason) {
            this.backend = backend;
            this.reason = reason;
        }

        public CoderBackend backend() {
            return backend;
        }

        public String reason() {
            return reason;
        }

        @Override
        public void close() {
            synchronized (Router.this) {
                if (!closed) {
                    closed = true;
                    load.merge(backend.name(), -1, Integer::sum);
                    Router.this.notifyAll(); // a slot freed: waiting routings look again
                }
            }
        }
    }

    /**
     * @param exclude backends that already failed this subtask
     * @return empty when no backend is left for the capability
     */
    public synchronized Optional<Lease> route(String capability, Set<String> exclude) {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            List<CoderBackend> candidates = registry.all().stream()
                    .filter(b -> b.spec().capabilities().contains(capability))
                    .filter(b -> !exclude.contains(b.name()))
                    .filter(CoderBackend::available)
                    .toList();
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            double fastest = candidates.stream().map(CoderBackend::serviceMillis).filter(java.util.OptionalDouble::isPresent)
                    .mapToDouble(java.util.OptionalDouble::getAsDouble).min().orElse(1000);
            CoderBackend best = candidates.stream().max(Comparator.comparingDouble((CoderBackend b) -> score(b, capability, fastest))
                    .thenComparing(Comparator.comparingDouble((CoderBackend b) -> b.spec().cost()).reversed())
                    .thenComparing(Comparator.comparing(CoderBackend::name).reversed())).orElseThrow();
            // Late binding: rather than join a queue, wait for a slot to free anywhere and decide then,
            // so the subtask goes to whichever backend is best at the moment it can start.
            boolean anyFree = candidates.stream().anyMatch(b -> loadOf(b) < b.spec().slots());
            long left = deadline - System.nanoTime();
            if (loadOf(best) >= best.spec().slots() && !anyFree && left > 0) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                continue;
            }
            return Optional.of(lease(capability, exclude, candidates, best));
        }
    }

    private Lease lease(String capability, Set<String> exclude, List<CoderBackend> candidates, CoderBackend best) {
        long decision = decisions.merge(capability, 1L, Long::sum);
        long now = System.nanoTime();
        CoderBackend stalest = candidates.stream()
                .min(Comparator.comparingLong(b -> lastChosen.getOrDefault(key(capability, b), Long.MIN_VALUE))).orElseThrow();
        Long stalestAt = lastChosen.get(key(capability, stalest));
        boolean explore = exploreEvery > 0 && decision % exploreEvery == 0 && stalest != best
                && (stalestAt == null || now - stalestAt >= exploreAfterNanos);
        CoderBackend chosen = explore ? stalest : best;
        lastChosen.put(key(capability, chosen), now);
        var outcomes = history.of(chosen.name(), capability);
        String reason = String.format(Locale.ROOT,
                "capability %s: %s%s, success %.2f (%d of %d recent), %d/%d slots in use, cost %s, among %d candidate(s)%s",
                capability, chosen.name(), explore ? " (exploring)" : "", outcomes.rate(), outcomes.succeeded(),
                outcomes.succeeded() + outcomes.failed(), loadOf(chosen), chosen.spec().slots(), chosen.spec().cost(),
                candidates.size(), exclude.isEmpty() ? "" : "; excluded after failures: " + String.join(", ", exclude));
        load.merge(chosen.name(), 1, Integer::sum);
        return new Lease(chosen, reason);
    }

    /** A lease on a given backend, for a retry that must go back to it. */
    public synchronized Lease pin(CoderBackend backend, String reason) {
        load.merge(backend.name(), 1, Integer::sum);
        return new Lease(backend, reason);
    }

    /** Calls routed to the backend and not finished: running or waiting for a slot. */
    public synchronized int loadOf(CoderBackend b) {
        return load.getOrDefault(b.name(), 0);
    }

    private double score(CoderBackend b, String capability, double unknownMs) {
        double expectedMs = b.serviceMillis().orElse(unknownMs) * (b.spec().slots() + loadOf(b)) / b.spec().slots();
        return history.of(b.name(), capability).rate() / expectedMs;
    }

    private static String key(String capability, CoderBackend b) {
        return capability + "/" + b.name();
    }
}
