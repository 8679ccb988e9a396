package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the backend for a subtask: one with the wanted capability that this subtask has not yet
 * failed on, the least loaded relative to its slots, then the cheapest. The load counts calls that
 * were routed and have not finished, so subtasks routed at the same moment spread out.
 */
public final class Router {
    private final BackendRegistry registry;
    private final Map<String, Integer> load = new HashMap<>();

    public Router(BackendRegistry registry) {
        this.registry = registry;
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
                }
            }
        }
    }

    /**
     * @param exclude backends that already failed this subtask
     * @return empty when no backend is left for the capability
     */
    public synchronized Optional<Lease> route(String capability, Set<String> exclude) {
        var candidates = registry.all().stream()
                .filter(b -> b.spec().capabilities().contains(capability))
                .filter(b -> !exclude.contains(b.name()))
                .toList();
        Optional<CoderBackend> best = candidates.stream()
                .min(Comparator.comparingDouble((CoderBackend b) -> (double) loadOf(b) / b.spec().slots())
                        .thenComparingDouble(b -> b.spec().cost())
                        .thenComparing(CoderBackend::name));
        return best.map(b -> {
            String reason = "capability " + capability + ": " + b.name() + " had " + loadOf(b) + "/" + b.spec().slots()
                    + " slots in use, cost " + b.spec().cost() + ", among " + candidates.size() + " candidate(s)"
                    + (exclude.isEmpty() ? "" : "; excluded after failures: " + String.join(", ", exclude));
            load.merge(b.name(), 1, Integer::sum);
            return new Lease(b, reason);
        });
    }

    /** A lease on a given backend, for a retry that must go back to it. */
    public synchronized Lease pin(CoderBackend backend, String reason) {
        load.merge(backend.name(), 1, Integer::sum);
        return new Lease(backend, reason);
    }

    private int loadOf(CoderBackend b) {
        return load.getOrDefault(b.name(), 0);
    }
}
