package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.grandpa.ModelUnavailableException;
import dev.familiar.grandpa.core.grandpa.Prompts;
import dev.familiar.grandpa.core.planning.Planner;
import dev.familiar.grandpa.delegation.backend.Assignment;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CallFailure;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.delegation.backend.CoderReply;
import dev.familiar.grandpa.delegation.backend.ErrorKind;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.RecoveryAction;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one task through its life: plan, delegate the ready subtasks (independent ones at once),
 * evaluate, recover, integrate. Every decision is made from what is stored, and every step is stored
 * before the next begins, so a task picked up after a crash continues where it stood.
 */
public class TaskEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final TaskLedger ledger;
    private final TaskContext context;
    private final Planner planner;
    private final Evaluator evaluator;
    private final GrandpaModel grandpa;
    private final BackendRegistry backends;
    private final Router router;
    private final SchedulePlanner scheduler;
    private final RecoveryLadder ladder;
    private final int replans;
    private final Duration modelRetryInterval;
    private final ExecutorService subtaskThreads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopping;

    public TaskEngine(TaskRepository tasks, PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries,
                      TaskLedger ledger, TaskContext context, Planner planner, Evaluator evaluator, GrandpaModel grandpa,
                      BackendRegistry backends, Router router, SchedulePlanner scheduler, RecoveryLadder ladder,
                      int replans, Duration modelRetryInterval) {
        this.tasks = tasks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.ledger = ledger;
        this.context = context;
        this.planner = planner;
        this.evaluator = evaluator;
        this.grandpa = grandpa;
        this.backends = backends;
        this.router = router;
        this.scheduler = scheduler;
        this.ladder = ladder;
        this.replans = replans;
        this.modelRetryInterval = modelRetryInterval;
    }

    private sealed interface SubtaskResult {
        UUID subtaskId();
    }

    private record Accepted(UUID subtaskId) implements SubtaskResult {}

    private record Exhausted(Subtask subtask, String reason) implements SubtaskResult {
        @Override
        public UUID subtaskId() {
            return subtask.id();
        }
    }

    private record Stopped(UUID subtaskId) implements SubtaskResult {}

    /** The subtask could not go on (grandpa's model unreachable, say); the task handles it once all stop. */
    private record Failed(UUID subtaskId, RuntimeException error) implements SubtaskResult {}

    /**
     * Works the task as far as it goes now.
     *
     * @return when to look at it again (it waits for the model), or empty when no worker needs to
     */
    public Optional<Instant> advance(UUID taskId) {
        Task task = tasks.find(taskId).orElse(null);
        if (task == null || !TaskStatus.WORKABLE.contains(task.status())) {
            return Optional.empty();
        }
        ledger.interruptStartedAttempts(taskId);
        try {
            if (backends.all().isEmpty()) {
                return waitFor(task, "no coder backends are configured (grandpa.backends)");
            }
            if (task.planVersion() == 0) {
                ledger.move(taskId, TaskStatus.WORKABLE, TaskStatus.PLANNING, null);
                if (!plan(task, 1, null)) {
                    return Optional.empty();
                }
            } else if (task.status() != TaskStatus.RUNNING) {
                ledger.move(taskId, TaskStatus.WORKABLE, TaskStatus.RUNNING, null);
            }
            work(taskId);
            return Optional.empty();
        } catch (ModelUnavailableException e) {
            log.warn("Task {} waits: {}", taskId, e.getMessage());
            return waitFor(task, "waiting for the grandpa model: " + e.getMessage());
        }
    }

    private Optional<Instant> waitFor(Task task, String reason) {
        ledger.move(task.id(), TaskStatus.WORKABLE, TaskStatus.WAITING, reason);
        return Optional.of(Instant.now().plus(modelRetryInterval));
    }

    /** Asks for a plan version and stores it; false when the task was blocked or left the workable states. */
    private boolean plan(Task task, int version, String replanCause) {
        var accepted = plans.subtasks(task.id()).stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).toList();
        var capabilities = new TreeSet<String>();
        backends.all().stream().filter(CoderBackend::enabled).forEach(b -> capabilities.addAll(b.spec().capabilities()));
        var outcome = planner.plan(task, version, replanCause, accepted, capabilities, context.of(task));
        return switch (outcome) {
            case Planner.Planned p -> ledger.storePlan(task.id(), version,
                    replanCause == null ? "first plan" : replanCause, p.plan(), p.json(), replanCause != null);
            case Planner.Rejected r -> {
                ledger.block(task.id(), null, r.reason());
                yield false;
            }
        };
    }

    /**
     * Runs the live plan: every subtask starts as soon as the subtasks it depends on are accepted, so
     * independent ones run at once and nothing waits for an unrelated slow one; where each runs, and
     * in what order they take the backends, follows the schedule planned for the plan version. When a
     * subtask is exhausted no new ones start; once the running ones end, the task re-plans or is blocked.
     */
    private void work(UUID taskId) {
        var completion = new ExecutorCompletionService<SubtaskResult>(subtaskThreads);
        var running = new HashSet<UUID>();
        var exhausted = new ArrayList<Exhausted>();
        RuntimeException failure = null;
        boolean stopped = false;
        Map<String, Router.Planned> schedule = Map.of();
        int scheduledVersion = -1;
        // Every scheduled subtask is in line from the start, so one that is not ready yet still holds
        // its planned slot against subtasks planned after it.
        Map<String, Router.Ticket> inLine = new HashMap<>();
        try {
            while (true) {
                Task task = tasks.find(taskId).orElseThrow();
                if (running.isEmpty()) {
                    if (failure != null) {
                        throw failure;
                    }
                    if (stopped || !TaskStatus.WORKABLE.contains(task.status())) {
                        return;
                    }
                    if (!exhausted.isEmpty()) {
                        if (!recover(task, exhausted)) {
                            return;
                        }
                        exhausted.clear();
                        continue;
                    }
                }
                List<Subtask> live = live(task);
                Set<String> done = new HashSet<>();
                live.stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).forEach(s -> done.add(s.key()));
                if (running.isEmpty() && done.size() == live.size()) {
                    integrate(task, live);
                    return;
                }
                if (exhausted.isEmpty() && failure == null && !stopped) {
                    if (scheduledVersion != task.planVersion()) {
                        schedule = schedule(task, live);
                        scheduledVersion = task.planVersion();
                        inLine.values().forEach(router::cancel);
                        inLine.clear();
                        for (Subtask s : live) {
                            if (s.status() == SubtaskStatus.PENDING && !running.contains(s.id()) && schedule.containsKey(s.key())) {
                                inLine.put(s.key(), router.enqueue(s.capability(), Set.of(), schedule.get(s.key()),
                                        done.containsAll(s.dependsOn())));
                            }
                        }
                    }
                    for (Subtask s : live) {
                        if (s.status() == SubtaskStatus.PENDING && !running.contains(s.id()) && done.containsAll(s.dependsOn())) {
                            running.add(s.id());
                            Router.Planned planned = schedule.getOrDefault(s.key(), Router.Planned.now());
                            Router.Ticket lined = inLine.remove(s.key());
                            Router.Ticket ticket = lined != null ? lined : router.enqueue(s.capability(), Set.of(), planned);
                            router.ready(ticket);
                            completion.submit(() -> {
                                try {
                                    return run(task, s, live, planned, ticket);
                                } catch (RuntimeException e) {
                                    return new Failed(s.id(), e);
                                } finally {
                                    router.cancel(ticket);
                                }
                            });
                        }
                    }
                } else { // no new subtask starts: those in line give their slots up
                    inLine.values().forEach(router::cancel);
                    inLine.clear();
                }
                if (running.isEmpty()) {
                    ledger.block(taskId, null, "no pending subtask can start: their dependencies are not accepted");
                    return;
                }
                try {
                    SubtaskResult result = completion.take().get();
                    running.remove(result.subtaskId());
                    switch (result) {
                        case Exhausted e -> exhausted.add(e);
                        case Stopped st -> stopped = true;
                        case Failed f -> failure = failure == null ? f.error() : failure;
                        case Accepted a -> { }
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a subtask ended without a result", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            inLine.values().forEach(router::cancel);
        }
    }

    /**
     * Plans where and when the pending subtasks should run on the backends as they are now, stores it
     * as an event, and returns it as routing preferences: each subtask keeps to its backend until it is
     * later than planned by more than its planned call time and slack.
     */
    private Map<String, Router.Planned> schedule(Task task, List<Subtask> live) {
        var pending = live.stream().filter(s -> s.status() == SubtaskStatus.PENDING).toList();
        if (pending.size() > SchedulePlanner.MAX_JOBS) {
            return Map.of(); // too many to plan: each goes where it would end soonest
        }
        var backendsByName = new HashMap<String, SchedulePlanner.Backend>();
        for (String capability : pending.stream().map(Subtask::capability).distinct().toList()) {
            for (SchedulePlanner.Backend b : router.capacity(capability)) {
                backendsByName.merge(b.name(), b, (x, y) -> new SchedulePlanner.Backend(x.name(),
                        union(x.capabilities(), y.capabilities()), Math.max(x.serviceMs(), y.serviceMs()), x.slots(), x.cost()));
            }
        }
        long start = System.nanoTime();
        var plan = scheduler.plan(pending.stream().map(s -> new SchedulePlanner.Job(s.key(), s.capability(),
                Set.copyOf(s.dependsOn()))).toList(), List.copyOf(backendsByName.values()));
        ledger.scheduled(task.id(), task.planVersion(), plan);
        var planned = new HashMap<String, Router.Planned>();
        plan.placements().forEach((key, p) -> planned.put(key, new Router.Planned(p.backend(),
                start + (long) (p.startMs() * 1e6), (long) ((p.finishMs() - p.startMs()) * 1e6), (long) (p.slackMs() * 1e6))));
        return planned;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Re-plans the remaining work after exhausted subtasks, or blocks the task when re-plans are used up. */
    private boolean recover(Task task, List<Exhausted> exhausted) {
        String cause = exhausted.stream().map(e -> "subtask " + e.subtask().key() + ": " + e.reason())
                .reduce((a, b) -> a + "; " + b).orElseThrow();
        if (replansSinceResume(task.id()) >= replans) {
            ledger.block(task.id(), exhausted.getFirst().subtask().id(),
                    "recovery exhausted after " + replans + " re-plan(s): " + cause);
            return false;
        }
        return plan(task, task.planVersion() + 1, cause);
    }

    /** Accepted subtasks of every version, and the pending ones of the live plan version. */
    private List<Subtask> live(Task task) {
        return plans.subtasks(task.id()).stream()
                .filter(s -> s.status() == SubtaskStatus.ACCEPTED
                        || (s.status() == SubtaskStatus.PENDING && s.planVersion() == task.planVersion()))
                .toList();
    }

    /** Works one subtask until it is accepted, exhausted, or the task stops being workable. */
    /** @param ticket its place in line for a first routing with nothing to exclude; cancelled if unused */
    private SubtaskResult run(Task task, Subtask subtask, List<Subtask> live, Router.Planned planned, Router.Ticket ticket) {
        while (true) {
            if (!workable(task.id())) {
                return new Stopped(subtask.id());
            }
            List<Attempt> history = sinceResume(task.id(), attempts.ofSubtask(subtask.id()));
            Map<Long, Evaluation> evaluations = new HashMap<>();
            for (Attempt a : history) {
                attempts.evaluationOf(a.id()).ifPresent(e -> evaluations.put(a.id(), e));
            }
            if (!history.isEmpty() && history.getLast().status() == AttemptStatus.SUCCEEDED) {
                Attempt last = history.getLast();
                Evaluation evaluation = evaluations.get(last.id());
                if (evaluation == null) {
                    Judgement judgement = evaluator.evaluate(task, subtask, last.output(), "length".equals(last.finishReason()));
                    evaluation = ledger.evaluate(last, subtask, judgement);
                    evaluations.put(last.id(), evaluation);
                }
                if (evaluation.verdict() == Verdict.PASS) {
                    return new Accepted(subtask.id());
                }
            }
            switch (ladder.next(history, evaluations)) {
                case RecoveryLadder.Exhausted e -> {
                    return new Exhausted(subtask, e.reason());
                }
                case RecoveryLadder.Call call -> {
                    Optional<Router.Lease> lease;
                    if (call.pinned() == null && call.exclude().isEmpty() && router.isWaiting(ticket)) {
                        lease = router.await(ticket);
                    } else {
                        router.cancel(ticket);
                        lease = call.pinned() != null
                                ? backends.find(call.pinned()).map(b -> router.pin(b, "same backend: " + (call.rung() == null
                                        ? "the previous call was interrupted" : "retry with the judge's feedback")))
                                : router.route(subtask.capability(), call.exclude(), planned);
                    }
                    if (lease.isEmpty() && (stopping || Thread.currentThread().isInterrupted())) {
                        return new Stopped(subtask.id()); // the wait for a slot was cut off by shutdown
                    }
                    if (lease.isEmpty()) {
                        return new Exhausted(subtask, (call.reason() == null ? "" : call.reason() + "; ")
                                + "no backend left with capability " + subtask.capability()
                                + (call.exclude().isEmpty() ? "" : " (tried " + String.join(", ", call.exclude()) + ")"));
                    }
                    try (var l = lease.get()) {
                        Attempt attempt = ledger.startAttempt(subtask, l.backend().name(), l.reason(), call.feedback(),
                                call.rung(), call.reason());
                        AttemptOutcome outcome;
                        try (var relay = new OutputRelay(ledger, attempt, subtask)) {
                            CoderReply reply = l.backend().complete(assignment(task, subtask, live, call.feedback()), relay);
                            outcome = AttemptOutcome.succeeded(reply.text(), reply.finishReason(), reply.promptTokens(),
                                    reply.completionTokens(), reply.durationMs(), reply.retries());
                        } catch (CallFailure f) {
                            if (stopping || f.kind() == ErrorKind.INTERRUPTED || Thread.currentThread().isInterrupted()) {
                                // Cut off by our own shutdown, not the backend's fault: left STARTED,
                                // it is marked interrupted and made again when the task is picked up.
                                return new Stopped(subtask.id());
                            }
                            outcome = AttemptOutcome.failed(f.kind().name(), f.getMessage(), f.durationMs());
                        }
                        ledger.finishAttempt(attempt, subtask, outcome);
                    }
                }
            }
        }
    }

    private Assignment assignment(Task task, Subtask subtask, List<Subtask> live, String feedback) {
        var context = new ArrayList<String>();
        for (Subtask dep : live) {
            if (subtask.dependsOn().contains(dep.key())) {
                context.add("Output of subtask " + dep.key() + " (" + dep.title() + "):\n" + dep.output());
            }
        }
        String pack = this.context.of(task);
        if (!pack.isEmpty()) {
            context.addFirst(pack);
        }
        return new Assignment(task.goal(), subtask.title(), subtask.instructions(), subtask.acceptanceCriteria(),
                context, feedback);
    }

    private void integrate(Task task, List<Subtask> accepted) {
        if (!ledger.move(task.id(), EnumSet.of(TaskStatus.RUNNING, TaskStatus.PLANNING, TaskStatus.QUEUED,
                TaskStatus.WAITING, TaskStatus.INTEGRATING), TaskStatus.INTEGRATING, null)) {
            return;
        }
        var prompt = new StringBuilder("Goal:\n").append(task.goal()).append("\n\nAccepted subtask outputs:\n");
        for (Subtask s : accepted) {
            prompt.append("\n## ").append(s.key()).append(": ").append(s.title()).append('\n').append(s.output()).append('\n');
        }
        String result = grandpa.ask(task.id(), "integrate", Prompts.INTEGRATE + prompt, null);
        ledger.finish(task.id(), result);
    }

    private boolean workable(UUID taskId) {
        return tasks.find(taskId).map(t -> TaskStatus.WORKABLE.contains(t.status())).orElse(false);
    }

    private Optional<Instant> lastResume(UUID taskId) {
        return recoveries.ofTask(taskId).stream().filter(r -> r.rung() == Rung.RESUME)
                .map(RecoveryAction::createdAt).reduce((a, b) -> b);
    }

    private List<Attempt> sinceResume(UUID taskId, List<Attempt> history) {
        return lastResume(taskId)
                .map(resumed -> history.stream().filter(a -> a.startedAt().isAfter(resumed)).toList())
                .orElse(history);
    }

    private long replansSinceResume(UUID taskId) {
        Instant resumed = lastResume(taskId).orElse(Instant.EPOCH);
        return recoveries.ofTask(taskId).stream()
                .filter(r -> r.rung() == Rung.REPLAN && r.createdAt().isAfter(resumed)).count();
    }

    @Override
    public void close() {
        stopping = true;
        subtaskThreads.shutdownNow();
    }
}
