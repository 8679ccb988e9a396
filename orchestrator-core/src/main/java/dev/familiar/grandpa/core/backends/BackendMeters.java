package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Each coder backend's live state as gauges, read when scraped: its circuit breaker's state
 * ({@code grandpa.backend.circuit}, 1 for the state it is in), whether routing may use it, and the calls
 * it serves now against its slots. The set of backends is read again at every upkeep round, so ones
 * added or removed through the API appear and go.
 */
final class BackendMeters {
    private static final List<String> STATES = List.of("CLOSED", "OPEN", "HALF_OPEN", "DISABLED", "FORCED_OPEN",
            "METRICS_ONLY");

    private final BackendRegistry backends;
    private final BiConsumer<String, Set<String>> known;
    private final MultiGauge circuit;
    private final MultiGauge available;
    private final MultiGauge active;
    private final MultiGauge slots;

    /** @param known told each backend and its capabilities, so its counters can start at 0 */
    public BackendMeters(BackendRegistry backends, MeterRegistry registry, BiConsumer<String, Set<String>> known) {
        this.backends = backends;
        this.known = known;
        this.circuit = MultiGauge.builder("grandpa.backend.circuit")
                .description("1 for the state a backend's circuit breaker is in, 0 for the others").register(registry);
        this.available = MultiGauge.builder("grandpa.backend.available")
                .description("1 while routing may send the backend work (enabled, not draining, healthy, circuit not open)")
                .register(registry);
        this.active = MultiGauge.builder("grandpa.backend.calls.active").description("calls the backend serves now")
                .register(registry);
        this.slots = MultiGauge.builder("grandpa.backend.slots").description("calls the backend serves at once")
                .register(registry);
        refresh();
    }

    /** Reads the set of backends again. */
    public void refresh() {
        var circuitRows = new ArrayList<MultiGauge.Row<?>>();
        var availableRows = new ArrayList<MultiGauge.Row<?>>();
        var activeRows = new ArrayList<MultiGauge.Row<?>>();
        var slotRows = new ArrayList<MultiGauge.Row<?>>();
        for (CoderBackend b : backends.all()) {
            known.accept(b.name(), b.spec().capabilities());
            Tags tags = Tags.of("backend", b.name());
            for (String state : STATES) {
                circuitRows.add(MultiGauge.Row.of(tags.and("state", state), b, x -> x.circuit().equals(state) ? 1 : 0));
            }
            availableRows.add(MultiGauge.Row.of(tags, b, x -> x.available() ? 1 : 0));
            activeRows.add(MultiGauge.Row.of(tags, b, CoderBackend::activeCalls));
            slotRows.add(MultiGauge.Row.of(tags, b, x -> x.spec().slots()));
        }
        circuit.register(circuitRows, true);
        available.register(availableRows, true);
        active.register(activeRows, true);
        slots.register(slotRows, true);
    }
}
