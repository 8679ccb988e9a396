package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * For one routing pass: when each backend's slots are expected to be free, from the calls running
 * there and each backend's usual call time, and where a routing would end soonest per unit of
 * success. A backend with no measured call time counts as fast as the fastest one, so it gets tried;
 * a call running past its usual time is expected to run as long again.
 */
final class SlotBook {
    /** Where a routing would run: the backend, how long until a slot there is free, and its score. */
    record Place(CoderBackend backend, double waitMs, double score) {}

    private final Map<String, List<Long>> running;
    private final OutcomeHistory history;
    private final long now;
    private final double fastest;
    private final Map<String, double[]> freeIn = new HashMap<>();

    /** @param running start times of the calls leased on each backend and not finished */
    SlotBook(Collection<CoderBackend> backends, Map<String, List<Long>> running, OutcomeHistory history, long now) {
        this.running = running;
        this.history = history;
        this.now = now;
        this.fastest = fastest(backends);
    }

    static double fastest(Collection<CoderBackend> backends) {
        return backends.stream().map(CoderBackend::serviceMillis).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min().orElse(1000);
    }

    double serviceMs(CoderBackend b) {
        return b.serviceMillis().orElse(fastest);
    }

    /** Milliseconds until the backend's first slot is free. */
    double waitMs(CoderBackend b) {
        double[] free = slots(b);
        return free.length == 0 ? Double.MAX_VALUE / 4 : free[0];
    }

    /** The candidate where a call would end soonest per unit of success; cheaper wins a tie. */
    Place best(List<CoderBackend> candidates, String capability) {
        Place best = null;
        for (CoderBackend b : candidates) {
            double wait = waitMs(b);
            double score = (wait + serviceMs(b)) / Math.max(history.of(b.name(), capability).rate(), 1e-3);
            if (best == null || score < best.score() || (score == best.score() && b.spec().cost() < best.backend().spec().cost())) {
                best = new Place(b, wait, score);
            }
        }
        return best;
    }

    /** A routing takes the backend's first slot: it is busy for one more call. */
    void take(CoderBackend b) {
        double[] free = slots(b);
        if (free.length > 0) {
            free[0] = Math.max(free[0], 0) + serviceMs(b);
            Arrays.sort(free);
        }
    }

    private double[] slots(CoderBackend b) {
        return freeIn.computeIfAbsent(b.name(), k -> {
            int slots = b.spec().slots();
            double[] free = new double[slots];
            double serviceMs = serviceMs(b);
            var busy = running.getOrDefault(b.name(), List.of()).stream().map(start -> {
                double elapsed = now - start;
                return elapsed < serviceMs ? serviceMs - elapsed : elapsed; // overrunning: as long again
            }).sorted().toList();
            // More calls than slots (pinned retries, long waits): the extra ones run after the others.
            for (int i = 0; i < busy.size(); i++) {
                int slot = i % slots;
                free[slot] = i < slots ? busy.get(i) : free[slot] + serviceMs;
            }
            Arrays.sort(free);
            return free;
        });
    }
}
