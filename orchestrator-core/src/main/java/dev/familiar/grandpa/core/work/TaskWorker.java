package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.engine.TaskState;
import dev.familiar.grandpa.core.grandpa.ModelUnavailableException;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.delegation.routing.Planned;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.RoutingRequest;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the tasks this instance has claimed. A step reads the task's state, lets {@link NextStep}
 * decide, and starts what it says without waiting for it; work that ends stores its result and asks
 * for the next step. So a task that waits for a coder, the model or a retry time holds no thread, and
 * a few step threads keep any number of tasks in flight. Claims are taken, renewed and given back by
 * {@link Claims}; a task this instance no longer holds is abandoned.
 */
public final class TaskWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskWorker.class);

    private final EngineSettings settings;
    private final Claims claims;
    private final StateReader reader;
    private final NextStep next;
    private final TaskLedger ledger;
    private final Router router;
    private final Jobs jobs;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, TaskWork> held = new ConcurrentHashMap<>();
    private final ExecutorService steps;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("grandpa-claims").daemon().factory());
    private volatile boolean closing;

    public TaskWorker(EngineSettings settings, ClaimRepository claims, StateReader reader, NextStep next,
                      TaskLedger ledger, Router router, Jobs jobs, Clock clock) {
        this.settings = settings;
        this.claims = new Claims(claims, settings, this);
        this.reader = reader;
        this.next = next;
        this.ledger = ledger;
        this.router = router;
        this.jobs = jobs;
        this.clock = clock;
        this.steps = Executors.newFixedThreadPool(settings.stepThreads(), Thread.ofPlatform().name("grandpa-step-", 0).factory());
    }

    public void start() {
        ledger.onWorkDue(this::lookSoon);
        long poll = settings.pollInterval().toMillis();
        long renew = Math.max(100, settings.claimFor().toMillis() / 3);
        timer.scheduleWithFixedDelay(claims::take, 0, poll, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(claims::renew, renew, renew, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(router::reconsider, 1, 1, TimeUnit.SECONDS);
    }

    /** Looks for due tasks now rather than at the next poll. */
    public void lookSoon() {
        if (!closing) {
            timer.execute(claims::take);
        }
    }

    /** How many tasks this instance holds now. */
    public int held() {
        return held.size();
    }

    String name() {
        return claims.worker();
    }

    /** The claim of a task was taken, or a task held is due (a timer, a wake): its next step runs. */
    void claimed(UUID taskId) {
        held.computeIfAbsent(taskId, TaskWork::new).waitOver();
        nudge(taskId);
    }

    /** Tasks this instance no longer holds are abandoned: another instance works them now. */
    void keepOnly(Set<UUID> stillHeld) {
        for (UUID id : new HashSet<>(held.keySet())) {
            if (!stillHeld.contains(id)) {
                drop(held.get(id));
            }
        }
    }

    private void nudge(UUID taskId) {
        TaskWork work = held.get(taskId);
        if (work == null || closing) {
            return;
        }
        if (work.stepping.compareAndSet(false, true)) {
            steps.execute(() -> steps(work));
        } else {
            work.again = true;
        }
    }

    private void steps(TaskWork work) {
        do {
            work.again = false;
            step(work);
        } while (work.again && !closing && held.get(work.taskId) == work);
        work.stepping.set(false);
        if (work.again) {
            nudge(work.taskId);
        }
    }

    private void step(TaskWork work) {
        UUID id = work.taskId;
        try {
            if (!claims.holds(id)) {
                drop(work);
                return;
            }
            if (work.takeFresh()) {
                ledger.interruptStartedAttempts(id); // left by an instance that stopped or died
            }
            TaskState state = reader.read(id, work.inFlight()).orElse(null);
            if (state == null) {
                drop(work);
                return;
            }
            apply(work, state, next.decide(state));
        } catch (RuntimeException e) {
            failed(work, e);
        }
    }

    private void apply(TaskWork work, TaskState state, Step step) {
        Task task = state.task();
        switch (step) {
            case Step.Stop s -> {
                work.abandon();
                if (!work.inFlight().anything() && claims.release(task.id())) {
                    held.remove(task.id(), work);
                }
            }
            case Step.Idle i -> { }
            case Step.Wait w -> {
                work.waiting(w.reason());
                if (task.status() != TaskStatus.WAITING || !w.reason().equals(task.statusReason())) {
                    ledger.move(task.id(), TaskStatus.WORKABLE, TaskStatus.WAITING, w.reason());
                }
                claims.dueAt(task.id(), clock.instant().plus(settings.modelRetryInterval()));
            }
            case Step.Plan p -> {
                moveTo(task, p.version() == 1 ? TaskStatus.PLANNING : TaskStatus.RUNNING);
                work.planning(true);
                var accepted = state.live().stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).toList();
                watch(work, jobs.plan(work, task, accepted, p.version(), p.cause()), () -> work.planning(false));
            }
            case Step.Advance a -> {
                moveTo(task, TaskStatus.RUNNING);
                schedule(work, state);
                a.actions().forEach(action -> start(work, state, action));
            }
            case Step.Integrate i -> {
                moveTo(task, TaskStatus.INTEGRATING);
                work.integrating(true);
                watch(work, jobs.integrate(work, task, state.live()), () -> work.integrating(false));
            }
            case Step.Block b -> {
                ledger.block(task.id(), b.subtaskId(), b.reason());
                drop(work);
            }
        }
    }

    private void start(TaskWork work, TaskState state, Step.Action action) {
        Task task = state.task();
        Subtask subtask = action.subtask();
        work.started(subtask.id());
        switch (action) {
            case Step.Judge j -> watch(work, jobs.judge(work, task, subtask, j.attempt()), () -> work.ended(subtask.id()));
            case Step.Call c -> {
                var call = c.call();
                Router.Ticket ticket = work.takeTicket(subtask.key());
                if (ticket == null || call.pinned() != null || !call.exclude().isEmpty()) {
                    if (ticket != null) {
                        ticket.cancel();
                    }
                    Planned planned = work.planned(subtask.key());
                    ticket = router.request(new RoutingRequest(subtask.capability(), call.exclude(), call.pinned(),
                            planned != null ? planned : Planned.unscheduled(clock.millis())), true);
                }
                ticket.lease().whenComplete((lease, error) -> {
                    if (error != null || lease.isEmpty()) {
                        if (error == null) {
                            work.unroutable(subtask.id(), (call.reason() == null ? "" : call.reason() + "; ")
                                    + "no backend left with capability " + subtask.capability()
                                    + (call.exclude().isEmpty() ? "" : " (tried " + String.join(", ", call.exclude()) + ")"));
                        }
                        ended(work, subtask);
                    } else {
                        jobs.call(work, task, subtask, state.live(), call, lease.get(), () -> {
                            work.succeeded();
                            ended(work, subtask);
                        });
                    }
                });
                ticket.ready();
            }
        }
    }

    private void ended(TaskWork work, Subtask subtask) {
        work.ended(subtask.id());
        nudge(work.taskId);
    }

    /**
     * Lines up every pending subtask of a plan version that is new to this instance, at the place its
     * schedule planned: one whose dependencies run holds its slot against those planned after it.
     */
    private void schedule(TaskWork work, TaskState state) {
        Task task = state.task();
        if (work.scheduled(task.planVersion())) {
            return;
        }
        var pending = state.live().stream().filter(s -> s.status() == SubtaskStatus.PENDING).toList();
        if (pending.isEmpty() || pending.size() > SchedulePlanner.MAX_JOBS) {
            work.schedule(task.planVersion(), java.util.Map.of()); // too many to plan: each goes where it ends soonest
            return;
        }
        var scheduled = router.schedule(pending.stream()
                .map(s -> new SchedulePlanner.Job(s.key(), s.capability(), Set.copyOf(s.dependsOn()))).toList());
        ledger.scheduled(task.id(), task.planVersion(), scheduled);
        work.schedule(task.planVersion(), scheduled.planned());
        var accepted = state.live().stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).map(Subtask::key).toList();
        for (Subtask s : pending) {
            Planned planned = scheduled.planned().get(s.key());
            if (planned != null && !state.inFlight().subtasks().contains(s.id())) {
                work.holdInLine(s.key(), router.request(new RoutingRequest(s.capability(), Set.of(), null, planned),
                        false));
            }
        }
    }

    /** When the job ends: clears its mark, records what went wrong, and asks for the next step. */
    private void watch(TaskWork work, CompletableFuture<Void> job, Runnable clear) {
        job.whenComplete((done, error) -> {
            clear.run();
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                work.succeeded();
                nudge(work.taskId);
            } else if (cause instanceof ModelUnavailableException down) {
                log.warn("Task {} waits: {}", work.taskId, down.getMessage());
                work.waiting("waiting for the grandpa model: " + down.getMessage());
                nudge(work.taskId);
            } else {
                failed(work, cause);
            }
        });
    }

    /** A failed step or job is tried again after a growing pause; {@link NextStep} blocks the task after too many. */
    private void failed(TaskWork work, Throwable error) {
        String why = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        int failures = work.failed(why);
        log.warn("Task {}: step failed ({} in a row): {}", work.taskId, failures, why, error);
        long pause = Math.min(60_000, 500L << Math.min(failures, 7));
        if (!closing) {
            timer.schedule(() -> nudge(work.taskId), pause, TimeUnit.MILLISECONDS);
        }
    }

    private void moveTo(Task task, TaskStatus status) {
        if (task.status() != status) {
            ledger.move(task.id(), TaskStatus.WORKABLE, status, null);
        }
    }

    private void drop(TaskWork work) {
        if (work != null) {
            work.abandon();
            held.remove(work.taskId, work);
        }
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        steps.shutdown();
        held.values().forEach(TaskWork::abandon); // calls in flight are interrupted and marked so
        try {
            steps.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.close();
        claims.releaseAll();
    }
}
