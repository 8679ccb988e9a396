package dev.familiar.grandpa.delegation.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.delegation.backend.Assignment;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing decisions, on a clock the test moves: no thread waits and no test sleeps. */
class RouterTest {
    final SettableClock clock = new SettableClock();

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
    final Router router = router(registry, OutcomeHistory.NONE, 10, Duration.ZERO);

    Router router(BackendRegistry backends, OutcomeHistory history, int exploreEvery, Duration exploreAfter) {
        return new Router(backends, history, new SchedulePlanner(10_000), exploreEvery, exploreAfter, clock);
    }

    Router.Ticket request(Router on, String capability, Set<String> exclude, Planned planned, boolean ready) {
        return on.request(new RoutingRequest(capability, exclude, null, planned), ready);
    }

    Router.Ticket request(Router on, String capability, Set<String> exclude) {
        return request(on, capability, exclude, Planned.unscheduled(clock.millis()), true);
    }

    /** The lease the request has now, or null while it waits. */
    static Lease now(Router.Ticket ticket) {
        return ticket.lease().isDone() ? ticket.lease().join().orElseThrow() : null;
    }

    static boolean noBackendLeft(Router.Ticket ticket) {
        return ticket.lease().isDone() && ticket.lease().join().isEmpty();
    }

    Lease route(Router on, String capability) {
        return now(request(on, capability, Set.of()));
    }

    Planned planned(String backend, long startInMs, long callMs, long slackMs) {
        return new Planned(backend, clock.millis() + startInMs, callMs, slackMs);
    }

    @Test
    void onlyBackendsWithTheCapabilityAreChosenAndTheCheapestWinsWhenIdle() {
        var lease = route(router, "code");
        assertThat(lease.backend().name()).isEqualTo("cheap");
        assertThat(lease.reason()).contains("capability code", "cheap", "2 candidate(s)");
        assertThat(noBackendLeft(request(router, "review", Set.of()))).isTrue();
    }

    @Test
    void routingsAtTheSameMomentSpreadOverBackendsByFreeSlots() {
        var first = route(router, "code");
        var second = route(router, "code");
        var third = route(router, "code");
        assertThat(List.of(first, second, third)).extracting(l -> l.backend().name()).containsExactly("cheap", "big", "big");
        var fourth = request(router, "code", Set.of());
        assertThat(fourth.lease()).isNotDone(); // every slot is busy
        first.close();
        assertThat(now(fourth).backend().name()).isEqualTo("cheap");
    }

    @Test
    void excludedBackendsAreSkippedUntilNoneIsLeft() {
        assertThat(now(request(router, "code", Set.of("cheap"))).backend().name()).isEqualTo("big");
        assertThat(noBackendLeft(request(router, "code", Set.of("cheap", "big")))).isTrue();
    }

    @Test
    void aPinnedRequestGoesBackToItsBackendAndWaitsForItsSlot() {
        var holding = route(router, "code"); // cheap's only slot
        var pinned = router.request(new RoutingRequest("code", Set.of(), "cheap", Planned.unscheduled(clock.millis())), true);
        assertThat(pinned.lease()).isNotDone(); // big is free, but the retry belongs on cheap
        holding.close();
        assertThat(now(pinned).backend().name()).isEqualTo("cheap");
        assertThat(now(pinned).reason()).contains("same backend again");
    }

    @Test
    void closingALeaseTwiceFreesOneSlot() {
        var lease = route(router, "docs");
        lease.close();
        lease.close();
        var again = route(router, "docs");
        var other = route(router, "docs");
        assertThat(List.of(again.backend().name(), other.backend().name())).containsExactlyInAnyOrder("cheap", "writer");
        assertThat(request(router, "docs", Set.of()).lease()).isNotDone();
    }

    @Test
    void aCancelledRequestLeavesTheLineAndTheNextOneTakesTheSlot() {
        var holding = route(router, "docs");
        var busy = route(router, "docs");
        var cancelled = request(router, "docs", Set.of());
        var next = request(router, "docs", Set.of());
        cancelled.cancel();
        assertThat(cancelled.lease()).isCancelled();
        holding.close();
        assertThat(now(next)).isNotNull();
        busy.close();
    }

    @Test
    void aBackendWithAPoorRecordGetsFewerCallsButSomeThroughExploration() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("poor", Set.of("code"), 2, 1.0)));
        OutcomeHistory history = (backend, capability) -> backend.equals("good")
                ? new OutcomeHistory.Outcomes(90, 10) : new OutcomeHistory.Outcomes(20, 80);
        var routing = router(pair, history, 10, Duration.ZERO);
        var open = new ArrayDeque<Lease>();
        int good = 0;
        int poor = 0;
        for (int i = 0; i < 300; i++) { // about three calls wanted at a time: one waits until another ends
            var ticket = request(routing, "code", Set.of());
            while (!ticket.lease().isDone() || open.size() >= 3) {
                open.poll().close();
            }
            Lease lease = now(ticket);
            if (lease.backend().name().equals("good")) {
                good++;
            } else {
                poor++;
            }
            open.add(lease);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(good).isGreaterThan(200);
        assertThat(poor).isBetween(15, 100);
    }

    @Test
    void explorationWaitsUntilAPoorBackendHasBeenLeftAloneLongEnough() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("poor", Set.of("code"), 2, 1.0)));
        OutcomeHistory history = (backend, capability) -> backend.equals("good")
                ? new OutcomeHistory.Outcomes(90, 10) : new OutcomeHistory.Outcomes(20, 80);
        var routing = router(pair, history, 10, Duration.ofHours(1));
        int poor = 0;
        for (int i = 0; i < 300; i++) {
            try (var lease = route(routing, "code")) {
                poor += lease.backend().name().equals("poor") ? 1 : 0;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(poor).isEqualTo(1); // explored once, then not again within the hour
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            try (var lease = route(routing, "code")) {
                poor += lease.backend().name().equals("poor") ? 1 : 0;
            }
        }
        assertThat(poor).isEqualTo(2); // an hour later, once more
    }

    @Test
    void explorationWaitsForASubtaskWhoseSlackCoversTheDetour() {
        var pair = new BackendRegistry(List.of(spec("good", Set.of("code"), 2, 1.0), spec("other", Set.of("code"), 2, 1.0)));
        var routing = router(pair, OutcomeHistory.NONE, 1, Duration.ZERO); // every decision may explore
        route(routing, "code").close(); // to "good": the first by name on a tie
        // Due to explore "other", but this subtask must end within 500 ms of now and a call there takes 1 s.
        var lease = now(request(routing, "code", Set.of(), planned("good", 0, 500, 0), true));
        assertThat(lease.backend().name()).isEqualTo("good");
        assertThat(lease.reason()).contains("as scheduled").doesNotContain("exploring");
        lease.close();
        // The next one with room to spare takes the detour.
        assertThat(route(routing, "code").reason()).contains("other (exploring)");
    }

    @Test
    void disabledDrainingAndOpenCircuitBackendsAreNotRouted() {
        registry.find("cheap").orElseThrow().setEnabled(false);
        assertThat(route(router, "code").backend().name()).isEqualTo("big");
        registry.find("big").orElseThrow().setDraining(true);
        assertThat(noBackendLeft(request(router, "code", Set.of()))).isTrue();
        registry.find("writer").orElseThrow().probe(); // nothing listens on its URL: unhealthy
        assertThat(noBackendLeft(request(router, "docs", Set.of()))).isTrue();
    }

    @Test
    void waitingSubtasksAreServedInOrderOfTheirPlannedStartNotOfArrival() {
        var one = router(new BackendRegistry(List.of(spec("only", Set.of("code"), 1, 1.0))), OutcomeHistory.NONE, 10, Duration.ZERO);
        var holding = route(one, "code");
        var late = request(one, "code", Set.of(), new Planned(null, clock.millis() + 30, 0, 0), true);
        var middle = request(one, "code", Set.of(), new Planned(null, clock.millis() + 20, 0, 0), true);
        var early = request(one, "code", Set.of(), new Planned(null, clock.millis() + 10, 0, 0), true);

        holding.close();
        assertThat(now(early)).isNotNull();
        assertThat(middle.lease()).isNotDone();
        now(early).close();
        assertThat(now(middle)).isNotNull();
        assertThat(late.lease()).isNotDone();
        now(middle).close();
        assertThat(now(late)).isNotNull();
    }

    @Test
    void aSubtaskKeepsToItsScheduledBackendUntilItIsLateThenTakesWhateverEndsSoonest() {
        var pair = router(new BackendRegistry(List.of(spec("fast", "http://127.0.0.1:9", 1), spec("slow", "http://127.0.0.1:9", 1))),
                OutcomeHistory.NONE, 10, Duration.ZERO);
        // The schedule puts it on the slow backend while the fast one is free: it goes there.
        var onSlow = now(request(pair, "code", Set.of(), planned("slow", 0, 60_000, 0), true));
        assertThat(onSlow.backend().name()).isEqualTo("slow");
        // Planned on the busy slow backend and not late: it waits for it although fast is free.
        var waiting = request(pair, "code", Set.of(), planned("slow", 0, 60_000, 0), true);
        assertThat(waiting.lease()).isNotDone();
        onSlow.close();
        assertThat(now(waiting).backend().name()).isEqualTo("slow");

        // Planned on the busy slow backend again, but late by more than its call time and slack once time passes.
        var late = request(pair, "code", Set.of(), planned("slow", 0, 1_000, 0), true);
        assertThat(late.lease()).isNotDone();
        clock.advance(Duration.ofSeconds(2));
        pair.reconsider();
        assertThat(now(late).backend().name()).isEqualTo("fast");
        assertThat(now(late).reason()).contains("scheduled on slow, 2000 ms late");
    }

    @Test
    void aSubtaskNotReadyYetHoldsItsPlannedSlotAgainstOnesPlannedAfterItUntilItIsLate() {
        var one = router(new BackendRegistry(List.of(spec("fast", "http://127.0.0.1:9", 1))), OutcomeHistory.NONE, 10, Duration.ZERO);
        var first = request(one, "code", Set.of(), planned("fast", 0, 400, 0), false);
        var later = request(one, "code", Set.of(), planned("fast", 400, 400, 0), true);
        assertThat(later.lease()).isNotDone(); // the slot is the first one's, though its subtask is not ready
        first.ready();
        assertThat(now(first).backend().name()).isEqualTo("fast");
        now(first).close();
        assertThat(now(later)).isNotNull();
        now(later).close();

        // Not ready and later than its call and slack: it holds nothing.
        var stale = request(one, "code", Set.of(), planned("fast", 0, 100, 0), false);
        clock.advance(Duration.ofSeconds(1));
        var free = request(one, "code", Set.of(), planned("fast", 0, 400, 0), true);
        assertThat(now(free)).isNotNull();
        stale.cancel();
    }

    @Test
    void aReadyRequestThatWaitedTenMinutesGoesToItsBestBackendEvenWhenBusy() {
        var one = router(new BackendRegistry(List.of(spec("only", Set.of("code"), 1, 1.0))), OutcomeHistory.NONE, 10, Duration.ZERO);
        var holding = route(one, "code");
        var patient = request(one, "code", Set.of());
        clock.advance(Duration.ofMinutes(9));
        one.reconsider();
        assertThat(patient.lease()).isNotDone();
        clock.advance(Duration.ofMinutes(1));
        one.reconsider();
        assertThat(now(patient).backend().name()).isEqualTo("only");
        assertThat(one.loadOf("only")).isEqualTo(2); // the backend's own bulkhead queues the call
        holding.close();
    }

    @Test
    void aSubtaskWaitsForABusyFastBackendRatherThanTakeAnIdleSlowOne() throws Exception {
        try (var fastServer = StandInLlamaServer.start("fast", call -> Reply.text("ok").after(Duration.ofMillis(100)));
             var slowServer = StandInLlamaServer.start("slow", call -> Reply.text("ok").after(Duration.ofMillis(2500)))) {
            var backends = new BackendRegistry(List.of(spec("fast", fastServer.baseUrl(), 1), spec("slow", slowServer.baseUrl(), 1)));
            var work = new Assignment("goal", "title", "do it", List.of(), List.of(), null);
            // each backend's usual call time is measured (the fast one twice: its first call also pays for the
            // connection, which on a loaded machine can take longer than the call itself)
            backends.find("fast").orElseThrow().complete(work);
            backends.find("fast").orElseThrow().complete(work);
            backends.find("slow").orElseThrow().complete(work);
            var pair = router(backends, OutcomeHistory.NONE, 10, Duration.ZERO);

            var first = route(pair, "code");
            assertThat(first.backend().name()).isEqualTo("fast");
            var second = request(pair, "code", Set.of());
            assertThat(second.lease()).isNotDone(); // the slow backend is idle, but the fast one frees sooner
            first.close();
            assertThat(now(second).backend().name()).isEqualTo("fast");
            assertThat(now(second).reason()).contains("usual call", "ms");
        }
    }

    @Test
    void aScheduleIsPlannedOnTheUsableBackendsFromNow() {
        var scheduled = router.schedule(List.of(new SchedulePlanner.Job("a", "code", Set.of()),
                new SchedulePlanner.Job("b", "docs", Set.of("a"))));
        assertThat(scheduled.planned()).containsKeys("a", "b");
        Planned b = scheduled.planned().get("b");
        assertThat(b.startMillis()).isGreaterThanOrEqualTo(clock.millis() + scheduled.planned().get("a").callMillis());
        assertThat(Optional.ofNullable(b.backend())).get().isIn("cheap", "writer");
    }
}
