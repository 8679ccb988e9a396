package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.routing.OutcomeHistory;
import dev.familiar.grandpa.store.backend.BackendRepository;
import dev.familiar.grandpa.store.backend.OutcomeCount;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Success rates per backend and capability, counted from the stored attempts and evaluations (so they
 * outlive restarts and are shared by every instance on the database), re-read at most every few seconds.
 */
class RecordedOutcomes implements OutcomeHistory {
    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final BackendRepository repository;
    private final Duration window;
    private volatile Map<String, Outcomes> counts = Map.of();
    private volatile long readAt;

    public RecordedOutcomes(BackendRepository repository, Duration window) {
        this.repository = repository;
        this.window = window;
    }

    @Override
    public Outcomes of(String backend, String capability) {
        if (System.nanoTime() - readAt > MAX_AGE.toNanos()) {
            refresh();
        }
        return counts.getOrDefault(backend + "/" + capability, new Outcomes(0, 0));
    }

    public void refresh() {
        var fresh = new HashMap<String, Outcomes>();
        for (OutcomeCount c : repository.outcomes(window)) {
            fresh.put(c.backend() + "/" + c.capability(), new Outcomes(c.succeeded(), c.failed()));
        }
        counts = fresh;
        readAt = System.nanoTime();
    }
}
