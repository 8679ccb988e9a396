package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.Backoff;
import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.engine.TaskState;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.runtime.session.ModelUnavailableException;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
final class TaskWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskWorker.class);

    private final EngineSettings settings;
    private final Claims claims;
    private final StateReader reader;
    private final NextStep next;
    private final TaskLedger ledger;
    private final Router router;
    private final Jobs jobs;
    private final Dispatch dispatch;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, HeldTask> held = new ConcurrentHashMap<>();
    private final ExecutorService steps;
    private final DecisionLog decisions;
    private final Thread looking = Thread.ofPlatform().name("grandpa-look").daemon().unstarted(this::look);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("grandpa-claims").daemon().factory());
    private volatile boolean closing;
    private volatile boolean stopLooking;

    public TaskWorker(EngineSettings settings, ClaimRepository claims, StateReader reader, NextStep next,
                      TaskLedger ledger, Router router, Jobs jobs, Clock clock) {
        this.settings = settings;
        this.claims = new Claims(claims, settings);
        this.reader = reader;
        this.next = next;
        this.ledger = ledger;
        this.router = router;
        this.jobs = jobs;
        this.dispatch = new Dispatch(router, jobs, ledger, clock);
        this.clock = clock;
        this.decisions = DecisionLog.in(settings.decisionLog());
        this.steps = Executors.newFixedThreadPool(settings.stepThreads(), Thread.ofPlatform().name("grandpa-step-", 0).factory());
    }

    public void start() {
        looking.start();
        timer.scheduleWithFixedDelay(router::reconsider, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Takes the tasks that are due, at every poll interval and at once when the ledger rings that work is due
     * (a submission, a resume); a look that found a full batch looks again. Renews the claims held on the
     * same thread, so a renewal never drops a task taken while it ran. A stopping instance takes none, and
     * renews what it holds until its calls have had their grace.
     */
    private void look() {
        long renewEvery = Math.max(100, settings.claimFor().toMillis() / 3) * 1_000_000;
        long nextRenewal = System.nanoTime() + renewEvery;
        while (!stopLooking) {
            try {
                if (System.nanoTime() - nextRenewal >= 0) {
                    claims.renew().ifPresent(this::keepOnly);
                    nextRenewal = System.nanoTime() + renewEvery;
                }
                List<UUID> claimed = closing ? List.of() : claims.take();
                claimed.forEach(this::claimed);
                if (claimed.size() < Claims.BATCH) {
                    long untilRenewal = Math.max(0, (nextRenewal - System.nanoTime()) / 1_000_000);
                    ledger.workDue().await(Duration.ofMillis(Math.min(settings.pollInterval().toMillis(), untilRenewal)));
                }
            } catch (InterruptedException e) {
                return; // closing
            }
        }
    }

    /** How many tasks this instance holds now. */
    public int held() {
        return held.size();
    }

    /** The claim of a task was taken, or a task held is due (a timer, a wake): its next step runs. */
    void claimed(UUID taskId) {
        held.computeIfAbsent(taskId, HeldTask::new).waitOver();
        nudge(taskId);
    }

    /** Tasks no longer held are abandoned (another instance works them); a claim held but not worked on is worked. */
    void keepOnly(Set<UUID> stillHeld) {
        for (UUID id : new HashSet<>(held.keySet())) {
            if (!stillHeld.contains(id)) {
                drop(held.get(id));
            }
        }
        for (UUID id : stillHeld) { // a claim this instance renews but works on nothing for: worked again
            if (!held.containsKey(id) && !closing) {
                log.warn("Task {} is claimed here but was not worked on: worked again", id);
                claimed(id);
            }
        }
    }

    private void nudge(UUID taskId) {
        HeldTask work = held.get(taskId);
        if (work == null || closing) {
            return;
        }
        if (work.stepping.compareAndSet(false, true)) {
            steps.execute(() -> steps(work));
        } else {
            work.again = true;
        }
    }

    private void steps(HeldTask work) {
        do {
            work.again = false;
            step(work);
        } while (work.again && !closing && held.get(work.taskId) == work);
        work.stepping.set(false);
        if (work.again) {
            nudge(work.taskId);
        }
    }

    private void step(HeldTask work) {
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
            Instant now = clock.instant();
            Step step = next.decide(state, now);
            decisions.write(new DecisionLog.Decision(next.rules(), now, state, step));
            apply(work, state, step);
        } catch (RuntimeException e) {
            failed(work, e);
        }
    }

    private void apply(HeldTask work, TaskState state, Step step) {
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
                move(task, w.move());
                claims.dueAt(task.id(), w.until());
            }
            case Step.Plan p -> {
                move(task, p.move());
                work.planning(true);
                var accepted = state.live().stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).toList();
                watch(work, jobs.plan(work, task, accepted, p.version(), p.cause()), () -> work.planning(false));
            }
            case Step.Advance a -> {
                move(task, a.move());
                dispatch.schedule(work, state);
                a.actions().forEach(action -> dispatch.start(work, state, action).whenComplete((done, error) -> ended(work, error)));
            }
            case Step.Integrate i -> {
                move(task, i.move());
                work.integrating(true);
                watch(work, jobs.integrate(work, task, state.live()), () -> work.integrating(false));
            }
            case Step.Block b -> {
                ledger.block(task.id(), b.subtaskId(), b.reason());
                drop(work); // resumed the moment it blocked, its new claim may have come here and been dropped with it
                if (!closing && claims.holds(task.id())) {
                    log.warn("Task {} was resumed and claimed here while it blocked: worked again", task.id());
                    claimed(task.id());
                }
            }
        }
    }

    /** When the job ends: clears its mark, then {@link #ended}. */
    private void watch(HeldTask work, CompletableFuture<Void> job, Runnable clear) {
        job.whenComplete((done, error) -> {
            clear.run();
            ended(work, error);
        });
    }

    /** Work for the task ended: what went wrong is recorded, and the next step is taken (after a pause if it failed). */
    private void ended(HeldTask work, Throwable error) {
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
    }

    /** A failed step or job is tried again after a growing pause; {@link NextStep} blocks the task after too many. */
    private void failed(HeldTask work, Throwable error) {
        String why = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        int failures = work.failed(why);
        log.warn("Task {}: step failed ({} in a row): {}", work.taskId, failures, why, error);
        if (!closing) {
            timer.schedule(() -> nudge(work.taskId), Backoff.after(failures).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void move(Task task, Step.Move move) {
        if (move != null) {
            ledger.move(task.id(), TaskStatus.WORKABLE, move.to(), move.reason());
        }
    }

    private void drop(HeldTask work) {
        if (work != null) {
            work.abandon();
            held.remove(work.taskId, work);
        }
    }

    /**
     * Stops the way a service on SIGTERM should: takes no new work and starts nothing new, lets calls
     * already running finish and store their results for up to the grace period (its claims renewed
     * meanwhile), cuts off what still runs then (marked interrupted, made again by whoever works the
     * task next), and hands its claims back so another instance takes them at once.
     */
    @Override
    public void close() {
        closing = true;
        jobs.stopStarting();
        held.values().forEach(HeldTask::leaveLine);
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        try {
            while (System.nanoTime() < deadline && held.values().stream().anyMatch(w -> w.inFlight().anything())) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopLooking = true;
        looking.interrupt();
        timer.shutdownNow();
        steps.shutdown();
        held.values().forEach(HeldTask::abandon);
        try {
            steps.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.close();
        claims.releaseAll();
    }
}
