package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides which backend runs each subtask, and when: the one door is {@link #request}, answered with a
 * lease when the subtask's turn comes. Requests wait in line by planned start (their schedule, see
 * {@link #schedule}; without one, their arrival), and no thread waits with them. Whenever one arrives,
 * becomes ready, is cancelled, a slot frees or time passes ({@link #reconsider}), the line is placed
 * in that order, each with the slots taken by those before it: on the backend its schedule names while
 * it is not late, else where it would end soonest per unit of success ({@link SlotBook}). One whose
 * place is a free slot gets its lease; one whose place is a busy slot keeps waiting for it, so a long
 * chain is not handed to a slow backend that happens to be idle. A request not ready yet (its
 * dependencies run) holds its planned slot against those planned after it until it is late.
 *
 * <p>Candidates have the capability, are usable (enabled, not draining, healthy, circuit not open)
 * and have not failed the subtask (one that just failed it for its own sake is taken only when no other
 * can); a pinned request goes back to its backend. Time is the given clock.
 */
public final class Router {
    /** The longest a ready request waits for a free slot before it queues on its best backend anyway. */
    private static final long MAX_WAIT_MILLIS = Duration.ofMinutes(10).toMillis();

    private final BackendRegistry registry;
    private final OutcomeHistory history;
    private final SchedulePlanner planner;
    private final Exploration exploration;
    private final Clock clock;
    /** backend → start times of the calls leased there and not finished. */
    private final Map<String, List<Long>> running = new HashMap<>();
    private final List<Ticket> line = new ArrayList<>();
    private long arrivals;

    public Router(BackendRegistry registry, OutcomeHistory history, SchedulePlanner planner, int exploreEvery,
                  Duration exploreAfter, Clock clock) {
        this.registry = registry;
        this.history = history;
        this.planner = planner;
        this.exploration = new Exploration(exploreEvery, exploreAfter.toMillis());
        this.clock = clock;
    }

    /** A request in line, answered by {@link #lease()}: a lease, or empty when no backend is left for it. */
    public final class Ticket {
        private final RoutingRequest request;
        private final long arrival = arrivals++;
        private final long arrivedAt = clock.millis();
        private final CompletableFuture<Optional<Lease>> lease = new CompletableFuture<>();
        private boolean ready;

        private Ticket(RoutingRequest request, boolean ready) {
            this.request = request;
            this.ready = ready;
        }

        public CompletableFuture<Optional<Lease>> lease() {
            return lease;
        }

        /** Its subtask may start now. */
        public void ready() {
            synchronized (Router.this) {
                ready = true;
            }
            dispatch();
        }

        /** Out of line: its answer is cancelled; a lease already given stays with whoever took it. */
        public void cancel() {
            synchronized (Router.this) {
                line.remove(this);
            }
            lease.cancel(false);
            dispatch();
        }
    }

    /**
     * Puts a subtask in line for a backend.
     *
     * @param ready false while its dependencies run: it holds its planned slot until {@link Ticket#ready()}
     */
    public Ticket request(RoutingRequest request, boolean ready) {
        Ticket ticket;
        synchronized (this) {
            ticket = new Ticket(request, ready);
            line.add(ticket);
            line.sort(Comparator.comparingLong((Ticket t) -> t.request.planned().startMillis()).thenComparingLong(t -> t.arrival));
        }
        dispatch();
        return ticket;
    }

    /** Time has passed: a request may have become late, or waited too long. */
    public void reconsider() {
        dispatch();
    }

    /** The backends routing chooses among. */
    public java.util.Collection<CoderBackend> backends() {
        return registry.all();
    }

    /** Calls routed to the backend and not finished. */
    public synchronized int loadOf(String backend) {
        return running.getOrDefault(backend, List.of()).size();
    }

    /**
     * Plans where and when these subtasks should run on the backends as they are now, from now: each
     * backend's usual call time (the fastest one's where not measured yet) over its optimistic success
     * rate, so a poor backend is planned as a slow one and a little-used one as it measured.
     */
    public synchronized Scheduled schedule(List<SchedulePlanner.Job> jobs) {
        return Scheduled.plan(planner, jobs, registry.all(), history, clock.millis());
    }

    /** Places the line in order and answers every request whose turn has come, outside the lock. */
    private void dispatch() {
        var answers = new ArrayList<Runnable>();
        synchronized (this) {
            long now = clock.millis();
            var book = new SlotBook(registry.all(), running, history, now);
            for (Iterator<Ticket> it = line.iterator(); it.hasNext(); ) {
                Ticket t = it.next();
                Planned planned = t.request.planned();
                if (!t.ready && !planned.keptTo(now)) {
                    continue; // not ready, and behind its schedule: it holds no slot for later
                }
                List<CoderBackend> candidates = candidates(t.request);
                if (candidates.isEmpty()) {
                    if (t.ready) {
                        it.remove();
                        answers.add(() -> t.lease.complete(Optional.empty()));
                    }
                    continue;
                }
                var scheduled = candidates.stream().filter(b -> planned.keptTo(now) && b.name().equals(planned.backend())).toList();
                SlotBook.Place best = book.best(scheduled.isEmpty() ? candidates : scheduled, t.request.capability());
                if (t.ready && (best.waitMs() <= 0 || now - t.arrivedAt >= MAX_WAIT_MILLIS)) {
                    var choice = exploration.choose(t.request.capability(), best.backend(), candidates, planned, book, now);
                    book.take(choice.backend());
                    Lease lease = lease(choice.backend(), RoutingReason.of(t.request, choice, candidates.size(),
                            loadOf(choice.backend().name()), history, now), now);
                    it.remove();
                    answers.add(() -> {
                        if (!t.lease.complete(Optional.of(lease))) {
                            lease.close(); // cancelled meanwhile
                        }
                    });
                } else {
                    book.take(best.backend()); // it will take that slot: those after it see it busy
                }
            }
        }
        answers.forEach(Runnable::run);
    }

    /** A lease holds its place in the backend's load until closed; closing frees a slot for the line. */
    private Lease lease(CoderBackend backend, String reason, long now) {
        Long startedAt = now;
        running.computeIfAbsent(backend.name(), k -> new ArrayList<>()).add(startedAt);
        return new Lease(backend, reason, () -> {
            synchronized (this) {
                running.get(backend.name()).remove(startedAt);
            }
            dispatch();
        });
    }

    private List<CoderBackend> candidates(RoutingRequest r) {
        if (r.pinned() != null) {
            return registry.find(r.pinned()).map(List::of).orElse(List.of());
        }
        var usable = registry.all().stream()
                .filter(b -> b.spec().capabilities().contains(r.capability()))
                .filter(b -> !r.exclude().contains(b.name()))
                .filter(CoderBackend::available)
                .toList();
        var preferred = usable.stream().filter(b -> !r.avoid().contains(b.name())).toList();
        return preferred.isEmpty() ? usable : preferred;
    }
}
