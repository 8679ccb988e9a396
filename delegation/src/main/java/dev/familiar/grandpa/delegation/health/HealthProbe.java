package dev.familiar.grandpa.delegation.health;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every enabled backend whether it is there ({@code GET /models}, or whether a command-line agent's
 * program exists). A backend that stops answering leaves routing; one that answers again comes back,
 * its open circuit half-opened so that the next call tests it. Run at an interval by the service.
 */
public final class HealthProbe {
    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);

    private final BackendRegistry registry;

    public HealthProbe(BackendRegistry registry) {
        this.registry = registry;
    }

    public void probeAll() {
        for (CoderBackend backend : registry.all()) {
            if (!backend.enabled()) {
                continue; // a disabled backend is not called at all, its key not sent
            }
            boolean was = backend.healthy();
            boolean now;
            try {
                now = backend.probe();
            } catch (RuntimeException e) {
                now = false;
            }
            if (was != now) {
                log.warn("Backend {} is {}", backend.name(), now ? "answering again" : "not answering its health probe");
            }
        }
    }
}
