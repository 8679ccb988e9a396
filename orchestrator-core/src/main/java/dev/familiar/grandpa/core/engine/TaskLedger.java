package dev.familiar.grandpa.core.engine;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.core.grandpa.ModelCall;
import dev.familiar.grandpa.core.planning.Plan;
import dev.familiar.grandpa.core.planning.PlannedSubtask;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.PlanVersion;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.Submission;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a task's stored state, each in one transaction together with the event that
 * records it (and, on submission and resume, the worker's execution). Nothing else writes tasks.
 */
public class TaskLedger {
    public static final String WORKER_TASK = "advance-task";

    // A supplier, because the scheduler is built from the worker, which needs the engine, which needs this.

    private final TransactionTemplate tx;
    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final EventLog events;
    private final Supplier<Scheduler> scheduler;
    private final EngineMetrics metrics;

    public TaskLedger(TransactionTemplate tx, TaskRepository tasks, PlanRepository plans, AttemptRepository attempts,
                      RecoveryRepository recoveries, EventLog events, Supplier<Scheduler> scheduler,
                      EngineMetrics metrics) {
        this.tx = tx;
        this.tasks = tasks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.events = events;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    public Submission submit(NewTask task) {
        Submission submission = inTx(() -> {
            Submission s = tasks.insert(task);
            if (s.created()) {
                events.append(s.task().id(), "submitted", Map.of("status", TaskStatus.QUEUED.name()));
                schedule(s.task().id());
            }
            return s;
        });
        if (submission.created()) {
            metrics.submitted();
            // The execution became visible only now, at commit: ask this instance to look at once.
            scheduler.get().triggerCheckForDueExecutions();
        }
        return submission;
    }

    /** Moves the task unless it has left {@code from} meanwhile (cancelled, say); false then. */
    public boolean move(UUID taskId, Collection<TaskStatus> from, TaskStatus to, String reason) {
        return inTx(() -> {
            boolean moved = tasks.transition(taskId, from, to, reason);
            if (moved) {
                statusEvent(taskId, to, reason);
            }
            return moved;
        });
    }

    public Optional<String> cancel(UUID taskId, String reason) {
        return inTx(() -> {
            var task = tasks.lock(taskId).orElseThrow();
            if (task.status().isFinal()) {
                return Optional.of("task is already " + task.status());
            }
            tasks.transition(taskId, Set.of(task.status()), TaskStatus.CANCELLED, reason);
            statusEvent(taskId, TaskStatus.CANCELLED, reason);
            return Optional.empty();
        });
    }

    /** Resumes a blocked task: the recovery ladder starts again from its bottom rung. */
    public Optional<String> resume(UUID taskId, String note) {
        Optional<String> refused = inTx(() -> {
            var task = tasks.lock(taskId).orElseThrow();
            if (task.status() != TaskStatus.BLOCKED) {
                return Optional.of("only a BLOCKED task can be resumed; this one is " + task.status());
            }
            String reason = note == null || note.isBlank() ? "resumed" : "resumed: " + note;
            recoveries.record(taskId, null, Rung.RESUME, reason);
            tasks.transition(taskId, Set.of(TaskStatus.BLOCKED), TaskStatus.QUEUED, reason);
            statusEvent(taskId, TaskStatus.QUEUED, reason);
            schedule(taskId);
            return Optional.empty();
        });
        if (refused.isEmpty()) {
            scheduler.get().triggerCheckForDueExecutions();
        }
        return refused;
    }

    /** Stores a plan version as the task's live plan; a re-plan also records its recovery action. */
    public boolean storePlan(UUID taskId, int version, String reason, Plan plan, String json, boolean replan) {
        boolean stored = inTx(() -> {
            var task = tasks.lock(taskId).orElseThrow();
            if (!TaskStatus.WORKABLE.contains(task.status()) || task.planVersion() >= version) {
                return false;
            }
            if (replan) {
                recoveries.record(taskId, null, Rung.REPLAN, reason);
                events.append(taskId, "recovery", Map.of("rung", Rung.REPLAN.name(), "reason", reason));
            }
            plans.insert(new PlanVersion(taskId, version, reason, json, Instant.now()),
                    plan.subtasks().stream().map(s -> subtask(taskId, version, s)).toList());
            plans.supersedePending(taskId, version);
            tasks.setPlanVersion(taskId, version);
            events.append(taskId, "planned", Map.of("version", version, "subtasks", plan.subtasks().size(),
                    "summary", String.valueOf(plan.summary())));
            tasks.transition(taskId, TaskStatus.WORKABLE, TaskStatus.RUNNING, null);
            statusEvent(taskId, TaskStatus.RUNNING, null);
            return true;
        });
        if (stored && replan) {
            metrics.recovery(Rung.REPLAN);
        }
        return stored;
    }

    /** Stores an attempt before its call, with the recovery step that led to it, if any. */
    public Attempt startAttempt(Subtask subtask, String backend, String routingReason, String feedback,
                                Rung rung, String rungReason) {
        Attempt attempt = inTx(() -> {
            if (rung != null) {
                recoveries.record(subtask.taskId(), subtask.id(), rung, rungReason);
                events.append(subtask.taskId(), "recovery", Map.of("rung", rung.name(), "subtask", subtask.key(),
                        "reason", rungReason));
            }
            Attempt a = attempts.start(subtask.taskId(), subtask.id(), backend, routingReason, feedback);
            events.append(subtask.taskId(), "attempt.started", Map.of("subtask", subtask.key(), "attempt", a.number(),
                    "backend", backend, "routing", routingReason));
            return a;
        });
        if (rung != null) {
            metrics.recovery(rung);
        }
        return attempt;
    }

    /** What one call to grandpa's model cost, on the task it served. */
    public void modelCall(ModelCall call) {
        var data = new HashMap<String, Object>();
        data.put("purpose", call.purpose());
        data.put("promptTokens", call.promptTokens());
        data.put("cachedTokens", call.cachedTokens());
        data.put("promptMs", call.promptMs());
        data.put("promptPerSecond", call.promptTokensPerSecond());
        data.put("predictedTokens", call.predictedTokens());
        data.put("predictedMs", call.predictedMs());
        data.put("predictedPerSecond", call.predictedTokensPerSecond());
        data.put("firstTokenMs", call.firstTokenMs());
        data.put("wallMs", call.wallMs());
        events.append(call.taskId(), "model.call", data);
        metrics.modelCall(call);
    }

    /** The schedule the engine will keep to for a plan version: each subtask's backend and planned start. */
    public void scheduled(UUID taskId, int planVersion, SchedulePlanner.Schedule schedule) {
        var placements = new java.util.TreeMap<String, Object>();
        schedule.placements().forEach((key, p) -> placements.put(key, Map.of("backend", p.backend(),
                "startMs", Math.round(p.startMs()), "finishMs", Math.round(p.finishMs()), "slackMs", Math.round(p.slackMs()))));
        events.append(taskId, "plan.scheduled", Map.of("version", planVersion, "makespanMs",
                Math.round(schedule.makespanMs()), "optimal", schedule.optimal(), "subtasks", placements));
    }

    /** A piece of a coder's answer while it is produced, at {@code offset} characters into its try. */
    public void output(Attempt attempt, Subtask subtask, int tryNumber, int offset, String text) {
        events.append(attempt.taskId(), "attempt.output", Map.of("subtask", subtask.key(), "attempt", attempt.number(),
                "try", tryNumber, "offset", offset, "text", text));
    }

    /** A transient error cut the answer off and the call is made again: the pieces of earlier tries are void. */
    public void outputRestarted(Attempt attempt, Subtask subtask, int tryNumber) {
        events.append(attempt.taskId(), "attempt.output.restart", Map.of("subtask", subtask.key(),
                "attempt", attempt.number(), "try", tryNumber));
    }

    public void finishAttempt(Attempt attempt, Subtask subtask, AttemptOutcome outcome) {
        inTx(() -> {
            attempts.finish(attempt.id(), outcome);
            var data = new HashMap<String, Object>();
            data.put("subtask", subtask.key());
            data.put("attempt", attempt.number());
            data.put("backend", attempt.backend());
            data.put("status", outcome.status().name());
            data.put("durationMs", outcome.durationMs());
            if (outcome.errorKind() != null) {
                data.put("error", outcome.errorKind());
            }
            events.append(attempt.taskId(), "attempt.finished", data);
            return null;
        });
        metrics.attempt(attempt.backend(), outcome);
    }

    /** Stores a judgement; a pass accepts the subtask with this output in the same transaction. */
    public Evaluation evaluate(Attempt attempt, Subtask subtask, Judgement judgement) {
        Evaluation evaluation = inTx(() -> {
            Evaluation e = attempts.addEvaluation(attempt, judgement.verdict(), judgement.score(), judgement.feedback(),
                    judgement.checks(), judgement.judgedBy());
            events.append(attempt.taskId(), "evaluated", Map.of("subtask", subtask.key(), "attempt", attempt.number(),
                    "verdict", judgement.verdict().name(), "judgedBy", judgement.judgedBy()));
            if (judgement.verdict() == Verdict.PASS && plans.accept(subtask.id(), attempt.output())) {
                events.append(attempt.taskId(), "subtask.accepted", Map.of("subtask", subtask.key(),
                        "backend", attempt.backend()));
            }
            return e;
        });
        metrics.verdict(judgement.verdict());
        return evaluation;
    }

    public void block(UUID taskId, UUID subtaskId, String reason) {
        boolean blocked = inTx(() -> {
            if (!tasks.transition(taskId, TaskStatus.WORKABLE, TaskStatus.BLOCKED, reason)) {
                return false;
            }
            recoveries.record(taskId, subtaskId, Rung.BLOCK, reason);
            statusEvent(taskId, TaskStatus.BLOCKED, reason);
            return true;
        });
        if (blocked) {
            metrics.recovery(Rung.BLOCK);
        }
    }

    public boolean finish(UUID taskId, String result) {
        boolean done = inTx(() -> {
            if (!tasks.transition(taskId, EnumSet.of(TaskStatus.INTEGRATING), TaskStatus.DONE, null)) {
                return false;
            }
            tasks.setResult(taskId, result);
            statusEvent(taskId, TaskStatus.DONE, null);
            return true;
        });
        if (done) {
            metrics.done();
        }
        return done;
    }

    /** The model is back: tasks waiting for it are looked at now rather than at their next retry. */
    public void wakeWaiting() {
        if (tasks.wakeWaiting(WORKER_TASK) > 0) {
            scheduler.get().triggerCheckForDueExecutions();
        }
    }

    /** Marks calls cut off by a stopped service; they are made again as new attempts. */
    public void interruptStartedAttempts(UUID taskId) {
        inTx(() -> {
            int n = attempts.interruptStarted(taskId);
            if (n > 0) {
                events.append(taskId, "attempts.interrupted", Map.of("count", n));
            }
            return null;
        });
    }

    private void statusEvent(UUID taskId, TaskStatus status, String reason) {
        var data = new HashMap<String, Object>();
        data.put("status", status.name());
        if (reason != null) {
            data.put("reason", reason);
        }
        events.append(taskId, "status", data);
    }

    private void schedule(UUID taskId) {
        scheduler.get().scheduleIfNotExists(new TaskInstance<Void>(WORKER_TASK, taskId.toString()), Instant.now());
    }

    private static Subtask subtask(UUID taskId, int version, PlannedSubtask s) {
        return new Subtask(UUID.randomUUID(), taskId, version, s.id(), s.title(), s.instructions(),
                s.kind() == null ? "code" : s.kind(), s.capability(), s.dependsOn(), s.acceptanceCriteria(),
                SubtaskStatus.PENDING, null);
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }
}
