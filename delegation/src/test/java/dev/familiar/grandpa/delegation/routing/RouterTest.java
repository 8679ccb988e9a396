package dev.familiar.grandpa.delegation.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    static BackendSpec spec(String name, Set<String> capabilities, int slots, double cost) {
        return BackendSpec.openAi(name, "http://127.0.0.1:9/v1", capabilities, slots, Duration.ofSeconds(1), cost);
    }

    final BackendRegistry registry = new BackendRegistry(List.of(
            spec("cheap", Set.of("code", "docs"), 1, 1.0),
            spec("big", Set.of("code"), 2, 3.0),
            spec("writer", Set.of("docs"), 1, 1.0)));
    final Router router = new Router(registry);

    @Test
    void onlyBackendsWithTheCapabilityAreChosenAndTheCheapestWinsWhenIdle() {
        var lease = router.route("code", Set.of()).orElseThrow();
        assertThat(lease.backend().name()).isEqualTo("cheap");
        assertThat(lease.reason()).contains("capability code", "cheap", "2 candidate(s)");
        assertThat(router.route("review", Set.of())).isEmpty();
    }

    @Test
    void routingsAtTheSameMomentSpreadOverBackendsByFreeSlots() {
        var first = router.route("code", Set.of()).orElseThrow();
        var second = router.route("code", Set.of()).orElseThrow();
        var third = router.route("code", Set.of()).orElseThrow();
        assertThat(first.backend().name()).isEqualTo("cheap");
        assertThat(second.backend().name()).isEqualTo("big");
        assertThat(third.backend().name()).isEqualTo("big");
        first.close();
        assertThat(router.route("code", Set.of()).orElseThrow().backend().name()).isEqualTo("cheap");
    }

    @Test
    void excludedBackendsAreSkippedUntilNoneIsLeft() {
        assertThat(router.route("code", Set.of("cheap")).orElseThrow().backend().name()).isEqualTo("big");
        assertThat(router.route("code", Set.of("cheap", "big"))).isEmpty();
    }

    @Test
    void closingALeaseTwiceFreesOneSlot() {
        var lease = router.route("docs", Set.of()).orElseThrow();
        lease.close();
        lease.close();
        var again = router.route("docs", Set.of()).orElseThrow();
        var other = router.route("docs", Set.of()).orElseThrow();
        assertThat(List.of(again.backend().name(), other.backend().name())).containsExactlyInAnyOrder("cheap", "writer");
    }

    @Test
    void aBackendWithAPoorRecordGetsFewerCallsButSomeThroughExploration() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("poor", Set.of("code"), 2, 1.0)));
        OutcomeHistory history = (backend, capability) -> backend.equals("good")
                ? new OutcomeHistory.Outcomes(90, 10) : new OutcomeHistory.Outcomes(20, 80);
        var routing = new Router(pair, history, 10, java.time.Duration.ZERO);
        var counts = new java.util.HashMap<String, Integer>();
        var open = new java.util.ArrayDeque<Router.Lease>();
        for (int i = 0; i < 300; i++) {
            var lease = routing.route("code", Set.of()).orElseThrow();
            counts.merge(lease.backend().name(), 1, Integer::sum);
            open.add(lease);
            if (open.size() > 2) { // about two calls in flight at a time
                open.poll().close();
            }
        }
        assertThat(counts.get("good")).isGreaterThan(200);
        assertThat(counts.get("poor")).isBetween(15, 100);
    }

    @Test
    void explorationWaitsUntilAPoorBackendHasBeenLeftAloneLongEnough() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("poor", Set.of("code"), 2, 1.0)));
        OutcomeHistory history = (backend, capability) -> backend.equals("good")
                ? new OutcomeHistory.Outcomes(90, 10) : new OutcomeHistory.Outcomes(20, 80);
        var routing = new Router(pair, history, 10, java.time.Duration.ofHours(1));
        int poor = 0;
        for (int i = 0; i < 300; i++) {
            try (var lease = routing.route("code", Set.of()).orElseThrow()) {
                poor += lease.backend().name().equals("poor") ? 1 : 0;
            }
        }
        assertThat(poor).isEqualTo(1); // explored once, then not again within the hour
    }

    @Test
    void disabledDrainingAndOpenCircuitBackendsAreNotRouted() {
        registry.find("cheap").orElseThrow().setEnabled(false);
        assertThat(router.route("code", Set.of()).orElseThrow().backend().name()).isEqualTo("big");
        registry.find("big").orElseThrow().setDraining(true);
        assertThat(router.route("code", Set.of())).isEmpty();
        registry.find("writer").orElseThrow().probe(); // nothing listens on its URL: unhealthy
        assertThat(router.route("docs", Set.of())).isEmpty();
    }
}
