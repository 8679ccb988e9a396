package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.InFlight;
import dev.familiar.grandpa.delegation.routing.Planned;
import dev.familiar.grandpa.delegation.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this instance holds for one task it has claimed: the work in flight, what routing keeps in
 * line for the live plan version, and whether a step runs. Steps of one task run one at a time;
 * work that ends asks for another. Routing is never called under this object's lock (its answers
 * run callbacks that take other tasks' locks).
 */
final class HeldTask {
    final UUID taskId;
    final AtomicBoolean stepping = new AtomicBoolean();
    volatile boolean again;
    /** Cancelled or lost: work still running for it stores nothing new and starts nothing. */
    volatile boolean abandoned;

    private boolean fresh = true;
    private boolean planning;
    private boolean integrating;
    private final Set<UUID> subtasks = new HashSet<>();
    private final Map<UUID, Thread> calls = new HashMap<>();
    private final Map<UUID, String> unroutable = new HashMap<>();
    private String waiting;
    private int failures;
    private String lastFailure;

    private int scheduledVersion = -1;
    private Map<String, Planned> planned = Map.of();
    private final Map<String, Router.Ticket> inLine = new HashMap<>();

    HeldTask(UUID taskId) {
        this.taskId = taskId;
    }

    synchronized InFlight inFlight() {
        return new InFlight(planning, integrating, subtasks, unroutable, waiting, failures, lastFailure);
    }

    /** True once, at the first step after the claim: calls left running by an earlier holder are interrupted. */
    synchronized boolean takeFresh() {
        boolean was = fresh;
        fresh = false;
        return was;
    }

    void planning(boolean on) {
        List<Router.Ticket> dropped = List.of();
        synchronized (this) {
            planning = on;
            if (on) {
                unroutable.clear();
                dropped = forgetSchedule();
            }
        }
        dropped.forEach(Router.Ticket::cancel);
    }

    synchronized void integrating(boolean on) {
        integrating = on;
    }

    synchronized void started(UUID subtaskId) {
        subtasks.add(subtaskId);
    }

    /** The thread calling a coder for the subtask; false when the task was abandoned meanwhile. */
    synchronized boolean calling(UUID subtaskId, Thread thread) {
        if (abandoned) {
            return false;
        }
        calls.put(subtaskId, thread);
        return true;
    }

    synchronized void ended(UUID subtaskId) {
        subtasks.remove(subtaskId);
        calls.remove(subtaskId);
    }

    synchronized void unroutable(UUID subtaskId, String why) {
        unroutable.put(subtaskId, why);
    }

    synchronized void waiting(String why) {
        waiting = why;
    }

    /** The time to wait is over (or the model is back): try again. */
    synchronized void waitOver() {
        waiting = null;
    }

    synchronized void succeeded() {
        failures = 0;
        lastFailure = null;
    }

    synchronized int failed(String why) {
        lastFailure = why;
        return ++failures;
    }

    synchronized boolean scheduled(int version) {
        return scheduledVersion == version;
    }

    /** Keeps the schedule of a plan version; {@link #holdInLine} then keeps its subtasks' tickets. */
    void schedule(int version, Map<String, Planned> planned) {
        List<Router.Ticket> dropped;
        synchronized (this) {
            dropped = forgetSchedule();
            scheduledVersion = version;
            this.planned = Map.copyOf(planned);
        }
        dropped.forEach(Router.Ticket::cancel);
    }

    synchronized void holdInLine(String key, Router.Ticket ticket) {
        inLine.put(key, ticket);
    }

    synchronized Planned planned(String key) {
        return planned.get(key);
    }

    /** The ticket holding the subtask's place in line, now its own; null when it has none. */
    synchronized Router.Ticket takeTicket(String key) {
        return inLine.remove(key);
    }

    /** Its tickets leave the router's line (the service stops: nothing new starts). */
    void leaveLine() {
        List<Router.Ticket> dropped;
        synchronized (this) {
            dropped = forgetSchedule();
        }
        dropped.forEach(Router.Ticket::cancel);
    }

    /** Stops everything in flight: tickets leave the line, calls are interrupted. */
    void abandon() {
        List<Router.Ticket> dropped;
        synchronized (this) {
            if (!abandoned) { // once: a second interrupt could land while a call records that it was cut off
                calls.values().forEach(Thread::interrupt);
            }
            abandoned = true;
            dropped = forgetSchedule();
        }
        dropped.forEach(Router.Ticket::cancel);
    }

    /** @return the tickets to cancel, outside the lock */
    private List<Router.Ticket> forgetSchedule() {
        var dropped = new ArrayList<>(inLine.values());
        inLine.clear();
        scheduledVersion = -1;
        planned = Map.of();
        return dropped;
    }
}
