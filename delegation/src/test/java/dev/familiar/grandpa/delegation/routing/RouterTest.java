package dev.familiar.grandpa.delegation.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.delegation.backend.Assignment;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.runtime.standin.Reply;
import dev.familiar.grandpa.runtime.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    static BackendSpec spec(String name, Set<String> capabilities, int slots, double cost) {
        return BackendSpec.openAi(name, "http://127.0.0.1:9/v1", capabilities, slots, Duration.ofSeconds(1), cost);
    }

    static BackendSpec spec(String name, String baseUrl, int slots) {
        return BackendSpec.openAi(name, baseUrl, Set.of("code"), slots, Duration.ofSeconds(10), 1.0);
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
        var counts = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < 3; caller++) { // about three calls wanted at a time
                callers.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        try (var lease = routing.route("code", Set.of()).orElseThrow()) {
                            counts.merge(lease.backend().name(), 1, Integer::sum);
                            Thread.sleep(1);
                        }
                    }
                    return null;
                });
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
    void explorationWaitsForASubtaskWhoseSlackCoversTheDetour() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("other", Set.of("code"), 2, 1.0)));
        var routing = new Router(pair, OutcomeHistory.NONE, 1, Duration.ZERO); // every decision may explore
        routing.route("code", Set.of()).orElseThrow().close(); // to "good": the cheaper by name on a tie
        // Due to explore "other", but this subtask must end within 500 ms of now and a call there takes 1 s.
        var critical = new Router.Planned("good", System.nanoTime(), 500_000_000L, 0);
        var lease = routing.route("code", Set.of(), critical).orElseThrow();
        assertThat(lease.backend().name()).isEqualTo("good");
        assertThat(lease.reason()).contains("as scheduled").doesNotContain("exploring");
        lease.close();
        // The next one with room to spare takes the detour.
        assertThat(routing.route("code", Set.of()).orElseThrow().reason()).contains("other (exploring)");
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

    @Test
    void waitingSubtasksAreServedInOrderOfTheirPlannedStartNotOfArrival() throws Exception {
        var one = new Router(new BackendRegistry(List.of(spec("only", Set.of("code"), 1, 1.0))));
        var holding = one.route("code", Set.of()).orElseThrow();
        var order = new java.util.concurrent.CopyOnWriteArrayList<Integer>();
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            long now = System.nanoTime();
            for (int plannedAt : new int[] {30, 20, 10}) {
                callers.submit(() -> {
                    var planned = new Router.Planned(null, now + plannedAt * 1_000_000L, 0, 0);
                    try (var lease = one.route("code", Set.of(), planned).orElseThrow()) {
                        order.add(plannedAt);
                    }
                    return null;
                });
                Thread.sleep(50); // they arrive in this order, the latest planned first
            }
            holding.close();
        }
        assertThat(order).containsExactly(10, 20, 30);
    }

    @Test
    void aSubtaskKeepsToItsScheduledBackendUntilItIsLateThenTakesWhateverEndsSoonest() throws Exception {
        var router = new Router(new BackendRegistry(List.of(spec("fast", "http://127.0.0.1:9", 1), spec("slow", "http://127.0.0.1:9", 1))));
        // The schedule puts it on the slow backend while the fast one is free: it goes there.
        var onSlow = router.route("code", Set.of(), new Router.Planned("slow", System.nanoTime(), 60_000_000_000L, 0)).orElseThrow();
        assertThat(onSlow.backend().name()).isEqualTo("slow");
        // Planned on the busy slow backend and not late: it waits for it although fast is free.
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = callers.submit(() -> router.route("code", Set.of(),
                    new Router.Planned("slow", System.nanoTime(), 60_000_000_000L, 0)).orElseThrow());
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            onSlow.close();
            assertThat(waiting.get().backend().name()).isEqualTo("slow");
            waiting.get().close();
        }
        // Late by more than its slack: the backend where it ends soonest.
        var occupied = router.route("code", Set.of(), new Router.Planned("slow", System.nanoTime(), 60_000_000_000L, 0)).orElseThrow();
        var late = router.route("code", Set.of(), new Router.Planned("slow", System.nanoTime() - 2_000_000_000L, 1_000_000_000L, 0));
        assertThat(late.orElseThrow().backend().name()).isEqualTo("fast");
        occupied.close();
    }

    @Test
    void aSubtaskNotReadyYetHoldsItsPlannedSlotAgainstOnesPlannedAfterItUntilItIsLate() throws Exception {
        var router = new Router(new BackendRegistry(List.of(spec("fast", "http://127.0.0.1:9", 1))));
        long now = System.nanoTime();
        var first = router.enqueue("code", Set.of(), new Router.Planned("fast", now, 400_000_000L, 0), false);
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var later = callers.submit(() -> router.route("code", Set.of(),
                    new Router.Planned("fast", now + 400_000_000L, 400_000_000L, 0)).orElseThrow());
            Thread.sleep(100);
            assertThat(later).isNotDone(); // the slot is the first one's, though its subtask is not ready
            router.ready(first);
            var lease = router.await(first).orElseThrow();
            assertThat(lease.backend().name()).isEqualTo("fast");
            lease.close();
            later.get().close();

            // Not ready and later than its call and slack: it holds nothing.
            var stale = router.enqueue("code", Set.of(), new Router.Planned("fast", now - 1_000_000_000L, 100_000_000L, 0), false);
            var free = router.route("code", Set.of(), new Router.Planned("fast", System.nanoTime(), 400_000_000L, 0));
            assertThat(free.orElseThrow().backend().name()).isEqualTo("fast");
            router.cancel(stale);
        }
    }

    @Test
    void aSubtaskWaitsForABusyFastBackendRatherThanTakeAnIdleSlowOne() throws Exception {
        try (var fastServer = StandInLlamaServer.start("fast", call -> Reply.text("ok").after(Duration.ofMillis(100)));
             var slowServer = StandInLlamaServer.start("slow", call -> Reply.text("ok").after(Duration.ofMillis(1500)))) {
            var registry = new BackendRegistry(List.of(
                    spec("fast", fastServer.baseUrl(), 1), spec("slow", slowServer.baseUrl(), 1)));
            var work = new Assignment("goal", "title", "do it", List.of(), List.of(), null);
            registry.find("fast").orElseThrow().complete(work); // each backend's usual call time is measured
            registry.find("slow").orElseThrow().complete(work);
            var pair = new Router(registry);

            var first = pair.route("code", Set.of()).orElseThrow();
            assertThat(first.backend().name()).isEqualTo("fast");
            long started = System.nanoTime();
            try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                var second = callers.submit(() -> pair.route("code", Set.of()).orElseThrow());
                Thread.sleep(60);
                assertThat(second).isNotDone(); // the slow backend is idle, but the fast one frees sooner
                first.close();
                assertThat(second.get().backend().name()).isEqualTo("fast");
                assertThat(second.get().reason()).contains("usual call", "ms");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }
    }
}
