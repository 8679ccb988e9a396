package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.health.HealthProbe;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At an interval: re-reads the stored backends (changes made on other instances), probes every backend,
 * and brings the backends' gauges up to date.
 */
class BackendUpkeep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackendUpkeep.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("backend-upkeep").daemon().factory());

    public BackendUpkeep(BackendCatalog catalog, HealthProbe probe, BackendMeters meters, Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                catalog.refresh();
                probe.probeAll();
                meters.refresh();
            } catch (RuntimeException e) {
                log.warn("Backend upkeep failed this round: {}", e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS); // backends count as healthy until probed
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
