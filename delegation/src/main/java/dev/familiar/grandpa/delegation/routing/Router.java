package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Decides which backend runs each subtask, and when. Every routing waits as a ticket, in order of
 * its planned start (the task's schedule, see {@link SchedulePlanner}; without one, its arrival).
 * Whenever a ticket arrives or a slot frees, the waiting tickets are placed in that order, each with
 * the slots taken by those before it: on the backend its schedule names while it is not late, else on
 * the one where it would end soonest per unit of success, {@code (time until a slot there is free +
 * its usual call time) / success rate}. A ticket whose place is a free slot goes now; one whose place
 * is a busy slot keeps waiting for it, so a long chain is not handed to a slow backend that happens to
 * be idle, and a subtask that became ready later but is due earlier is not left behind.
 *
 * <p>Candidates have the wanted capability, are usable (enabled, not draining, healthy, circuit not
 * open) and have not failed this subtask. A backend with no measured call time counts as fast as the
 * fastest one, so it gets tried; a call running past its usual time is expected to run as long again.
 * Every {@code exploreEvery}-th decision for a capability, the next subtask whose slack allows it goes
 * instead to the candidate chosen least recently, if that was at least {@code exploreAfter} ago, so a
 * backend that recovered gets traffic again, while a busy service does not keep paying for calls to a
 * backend it knows to be poor, nor delay a task's critical path to try one.
 */
public final class Router {
    /** The longest a routing waits for a slot before it queues on its best backend anyway. */
    private static final long MAX_WAIT_NANOS = Duration.ofMinutes(10).toNanos();
    /** Waiting tickets look again at least this often, so changes in availability are seen. */
    private static final long RECHECK_NANOS = Duration.ofSeconds(1).toNanos();

    private final BackendRegistry registry;
    private final OutcomeHistory history;
    private final int exploreEvery;
    private final long exploreAfterNanos;
    /** backend → start times (System.nanoTime) of the calls routed there and not finished. */
    private final Map<String, List<Long>> running = new HashMap<>();
    private final List<Ticket> waiting = new ArrayList<>();
    /** Tickets in line for subtasks whose dependencies are not done: they hold their planned slot, but wait. */
    private final Set<Ticket> notReady = new HashSet<>();
    private final Map<String, Long> decisions = new HashMap<>();
    /** Capabilities whose turn to explore has come and waits for a subtask with the slack for it. */
    private final Set<String> exploreDue = new HashSet<>();
    /** capability/backend → when it was last chosen (System.nanoTime). */
    private final Map<String, Long> lastChosen = new HashMap<>();
    private long arrivals;

    public Router(BackendRegistry registry) {
        this(registry, OutcomeHistory.NONE, 10, Duration.ZERO);
    }

    public Router(BackendRegistry registry, OutcomeHistory history, int exploreEvery, Duration exploreAfter) {
        this.registry = registry;
        this.history = history;
        this.exploreEvery = exploreEvery;
        this.exploreAfterNanos = exploreAfter.toNanos();
    }

    /**
     * Where and when the task's schedule wants a subtask to run ({@link SchedulePlanner}), its planned
     * call time, and its slack (how much later it may end without delaying the task). The routing keeps
     * to the schedule, waiting for that backend if need be, until the subtask is later than its planned
     * start by more than its call time and slack; from then on it goes wherever it would end soonest.
     */
    public record Planned(String backend, long startNanos, long callNanos, long slackNanos) {
        /** No schedule: served in order of arrival, wherever it would end soonest. */
        public static Planned now() {
            return new Planned(null, System.nanoTime(), 0, Long.MAX_VALUE / 4);
        }

        boolean keptTo(long now) {
            return backend != null && now - startNanos <= callNanos + slackNanos;
        }

        /** Whether ending at {@code end} is soon enough not to delay the task. */
        boolean allowsEndAt(long end) {
            return end - (startNanos + callNanos) <= slackNanos;
        }
    }

    /** A routing in line. */
    public record Ticket(String capability, Set<String> exclude, Planned planned, long arrival) {}

    /** Where a ticket would run: the backend, and how long until a slot there is free. */
    private record Place(CoderBackend backend, double waitMs, double score) {}

    /** A routing that holds its place in the backend's load until closed. */
    public final class Lease implements AutoCloseable {
        private final CoderBackend backend;
        private final String reason;
        private final Long startedAt;
        private boolean closed;

        private Lease(CoderBackend backend, String reason) {
            this.backend = backend;
            this.reason = reason;
            this.startedAt = System.nanoTime();
            running.computeIfAbsent(backend.name(), k -> new ArrayList<>()).add(startedAt);
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
                    running.get(backend.name()).remove(startedAt);
                    Router.this.notifyAll(); // a slot freed: waiting routings look again
                }
            }
        }
    }

    /** A routing with no schedule to keep to. */
    public Optional<Lease> route(String capability, Set<String> exclude) {
        return route(capability, exclude, Planned.now());
    }

    /** Waits until this routing's best place is a free slot, then takes it: {@link #enqueue} and {@link #await}. */
    public Optional<Lease> route(String capability, Set<String> exclude, Planned planned) {
        return await(enqueue(capability, exclude, planned));
    }

    /**
     * Puts a routing in line now, to be awaited later: the engine lines up every subtask that became
     * ready at once before any of them is placed, so the order of their threads does not matter.
     *
     * @param exclude backends that already failed this subtask
     * @param planned where and when the schedule wants it; the earliest planned start goes first
     */
    public synchronized Ticket enqueue(String capability, Set<String> exclude, Planned planned) {
        return enqueue(capability, exclude, planned, true);
    }

    /**
     * @param ready false for a subtask whose dependencies are not done yet: while it keeps to its
     *              schedule it holds its planned slot against subtasks planned after it, until
     *              {@link #ready} lets it go
     */
    public synchronized Ticket enqueue(String capability, Set<String> exclude, Planned planned, boolean ready) {
        var ticket = new Ticket(capability, Set.copyOf(exclude), planned, arrivals++);
        if (!ready) {
            notReady.add(ticket);
        }
        waiting.add(ticket);
        waiting.sort(Comparator.comparingLong((Ticket t) -> t.planned().startNanos()).thenComparingLong(Ticket::arrival));
        notifyAll(); // tickets placed after this one look again
        return ticket;
    }

    /**
     * Waits until the ticket's best place is a free slot, then takes it.
     *
     * @return empty when no backend is left for the capability, or when interrupted
     */
    public synchronized Optional<Lease> await(Ticket ticket) {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        try {
            while (true) {
                Place place = placeOf(ticket);
                if (place == null) {
                    return Optional.empty();
                }
                long left = deadline - System.nanoTime();
                if (place.waitMs() <= 0 || (left <= 0 && !notReady.contains(ticket))) {
                    return Optional.of(lease(ticket, place));
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, RECHECK_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            cancel(ticket);
        }
    }

    /** Whether the ticket is still in line (not yet awaited to the end, nor cancelled). */
    public synchronized boolean isWaiting(Ticket ticket) {
        return waiting.contains(ticket);
    }

    /** The ticket's subtask may start now. */
    public synchronized void ready(Ticket ticket) {
        if (notReady.remove(ticket)) {
            notifyAll();
        }
    }

    /** Takes a ticket out of line (a routing that will not be awaited). */
    public synchronized void cancel(Ticket ticket) {
        notReady.remove(ticket);
        if (waiting.remove(ticket)) {
            notifyAll();
        }
    }

    /** Places the waiting tickets in order up to this one; null when it has no candidate at all. */
    private Place placeOf(Ticket mine) {
        long now = System.nanoTime();
        Map<String, double[]> slotsFreeIn = new HashMap<>(); // backend → ms until each slot is free
        double fastest = registry.all().stream().map(CoderBackend::serviceMillis).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min().orElse(1000);
        for (Ticket ticket : waiting) {
            Planned planned = ticket.planned();
            if (notReady.contains(ticket) && !planned.keptTo(now)) {
                continue; // not ready, and behind its schedule: it holds no slot for later
            }
            List<CoderBackend> candidates = candidates(ticket);
            if (planned.keptTo(now)) {
                candidates = candidates.stream().filter(b -> b.name().equals(planned.backend())).findFirst()
                        .map(List::of).orElse(candidates); // keeps to the schedule, unless that backend is gone
            }
            Place best = null;
            for (CoderBackend b : candidates) {
                double[] free = slotsFreeIn.computeIfAbsent(b.name(), k -> freeIn(b, fastest, now));
                double serviceMs = b.serviceMillis().orElse(fastest);
                double wait = free.length == 0 ? Double.MAX_VALUE / 4 : free[0];
                double score = (wait + serviceMs) / Math.max(history.of(b.name(), ticket.capability()).rate(), 1e-3);
                if (best == null || score < best.score() || (score == best.score() && b.spec().cost() < best.backend().spec().cost())) {
                    best = new Place(b, wait, score);
                }
            }
            if (ticket == mine) {
                return best != null && notReady.contains(ticket) ? new Place(best.backend(), Double.MAX_VALUE, best.score()) : best;
            }
            if (best != null) { // the slot it will take is busy for one more call
                double[] free = slotsFreeIn.get(best.backend().name());
                if (free.length > 0) {
                    free[0] += best.backend().serviceMillis().orElse(fastest);
                    Arrays.sort(free);
                }
            }
        }
        throw new IllegalStateException("a waiting routing lost its ticket");
    }

    private List<CoderBackend> candidates(Ticket ticket) {
        return registry.all().stream()
                .filter(b -> b.spec().capabilities().contains(ticket.capability()))
                .filter(b -> !ticket.exclude().contains(b.name()))
                .filter(CoderBackend::available)
                .sorted(Comparator.comparing(CoderBackend::name))
                .toList();
    }

    /** For each slot of the backend, sorted, the milliseconds until it is expected to be free. */
    private double[] freeIn(CoderBackend b, double fastest, long now) {
        int slots = b.spec().slots();
        double[] free = new double[Math.max(slots, 0)];
        double serviceMs = b.serviceMillis().orElse(fastest);
        List<Long> calls = running.getOrDefault(b.name(), List.of());
        var busy = calls.stream().map(start -> {
            double elapsed = (now - start) / 1e6;
            return elapsed < serviceMs ? serviceMs - elapsed : elapsed; // overrunning: as long again
        }).sorted().toList();
        // More calls than slots (pinned retries, queued routings): the extra ones run after the others.
        for (int i = 0; i < busy.size(); i++) {
            if (slots == 0) {
                break;
            }
            int slot = i % slots;
            free[slot] = i < slots ? busy.get(i) : free[slot] + serviceMs;
        }
        Arrays.sort(free);
        return free;
    }

    private Lease lease(Ticket ticket, Place place) {
        String capability = ticket.capability();
        if (exploreEvery > 0 && decisions.merge(capability, 1L, Long::sum) % exploreEvery == 0) {
            exploreDue.add(capability);
        }
        long now = System.nanoTime();
        List<CoderBackend> candidates = candidates(ticket);
        CoderBackend best = place.backend();
        CoderBackend stalest = candidates.stream()
                .min(Comparator.comparingLong(b -> lastChosen.getOrDefault(key(capability, b), Long.MIN_VALUE))).orElseThrow();
        Long stalestAt = lastChosen.get(key(capability, stalest));
        // Exploring costs a call on a backend thought worse: only with a subtask whose slack covers it.
        double fastest = registry.all().stream().map(CoderBackend::serviceMillis).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min().orElse(1000);
        boolean explore = exploreDue.contains(capability) && stalest != best
                && (stalestAt == null || now - stalestAt >= exploreAfterNanos)
                && ticket.planned().allowsEndAt(now + (long) (freeIn(stalest, fastest, now)[0] * 1e6
                        + stalest.serviceMillis().orElse(fastest) * 1e6));
        if (explore) {
            exploreDue.remove(capability);
        }
        CoderBackend chosen = explore ? stalest : best;
        lastChosen.put(key(capability, chosen), now);
        var outcomes = history.of(chosen.name(), capability);
        Planned planned = ticket.planned();
        String schedule = planned.backend() == null ? ""
                : planned.keptTo(now) && planned.backend().equals(chosen.name()) ? " as scheduled"
                : String.format(Locale.ROOT, " (scheduled on %s, %d ms late)", planned.backend(),
                        (now - planned.startNanos()) / 1_000_000);
        String reason = String.format(Locale.ROOT,
                "capability %s: %s%s%s, success %.2f (%d of %d recent), usual call %s, %d/%d slots in use, cost %s, "
                        + "among %d candidate(s)%s",
                capability, chosen.name(), schedule, explore ? " (exploring)" : "", outcomes.rate(), outcomes.succeeded(),
                outcomes.succeeded() + outcomes.failed(),
                chosen.serviceMillis().isPresent() ? Math.round(chosen.serviceMillis().getAsDouble()) + " ms" : "not measured",
                loadOf(chosen), chosen.spec().slots(), chosen.spec().cost(), candidates.size(),
                ticket.exclude().isEmpty() ? "" : "; excluded after failures: " + String.join(", ", ticket.exclude()));
        return new Lease(chosen, reason);
    }

    /**
     * The backends routing may use now, as the schedule planner sees them: each one's usual call time
     * (the fastest one's where not measured yet) over its optimistic success rate for the capability,
     * so a poor backend is planned as a slow one and a little-used one as it measured.
     */
    public synchronized List<SchedulePlanner.Backend> capacity(String capability) {
        double fastest = registry.all().stream().map(CoderBackend::serviceMillis).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min().orElse(1000);
        return registry.all().stream().filter(CoderBackend::available)
                .filter(b -> b.spec().capabilities().contains(capability))
                .map(b -> new SchedulePlanner.Backend(b.name(), Set.of(capability), b.serviceMillis().orElse(fastest)
                        / Math.max(history.of(b.name(), capability).optimisticRate(), 1e-3), b.spec().slots(), b.spec().cost()))
                .toList();
    }

    /** A lease on a given backend, for a retry that must go back to it. */
    public synchronized Lease pin(CoderBackend backend, String reason) {
        return new Lease(backend, reason);
    }

    /** Calls routed to the backend and not finished: running or waiting for a slot. */
    public synchronized int loadOf(CoderBackend b) {
        return running.getOrDefault(b.name(), List.of()).size();
    }

    private static String key(String capability, CoderBackend b) {
        return capability + "/" + b.name();
    }
}
