package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.planning.Plan;
import dev.familiar.grandpa.core.planning.PlannedSubtask;
import dev.familiar.grandpa.delegation.routing.Scheduled;
import dev.familiar.grandpa.runtime.session.ModelCall;
import dev.familiar.grandpa.runtime.session.ModelProgress;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a task's own stored state (its status, plans, claim, what grandpa's model did for it),
 * each in one transaction together with the event that records it and, where the task starts or stops
 * needing work, its claim row. Nothing else writes tasks; {@link AttemptLedger} writes its attempts and
 * verdicts, {@link BranchLedger} its branch.
 */
public class TaskLedger {
    private final TransactionTemplate tx;
    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final ClaimRepository claims;
    private final EventJournal events;
    private final TaskMetrics metrics;
    private final WorkDue workDue = new WorkDue();

    public TaskLedger(TransactionTemplate tx, Stores stores, EventJournal events, TaskMetrics metrics) {
        this.tx = tx;
        this.tasks = stores.tasks();
        this.plans = stores.plans();
        this.attempts = stores.attempts();
        this.recoveries = stores.recoveries();
        this.claims = stores.claims();
        this.events = events;
        this.metrics = metrics;
    }

    /** Rung when a task needs work now (after a submission, a resume), so this instance looks at once. */
    public WorkDue workDue() {
        return workDue;
    }

    public Submission accept(NewTask task) {
        Submission submission = inTx(() -> {
            Submission s = tasks.insert(task);
            if (s.created()) {
                events.append(s.task().id(), new Event.Submitted(TaskStatus.QUEUED));
                claims.offer(s.task().id());
            }
            return s;
        });
        if (submission.created()) {
            metrics.submitted();
            workDue.ring();
        }
        return submission;
    }

    /** Moves the task unless it has left {@code from} meanwhile (cancelled, say); false then. */
    public boolean move(UUID taskId, Collection<TaskStatus> from, TaskStatus to, String reason) {
        return inTx(() -> {
            boolean moved = tasks.transition(taskId, from, to, reason);
            if (moved) {
                events.append(taskId, new Event.StatusChanged(to, reason));
            }
            return moved;
        });
    }

    /** Cancels the task; the instance working it stops what runs. Empty, or why it cannot be cancelled. */
    public Optional<String> cancel(UUID taskId, String reason) {
        Optional<String> refused = inTx(() -> {
            var task = tasks.lock(taskId).orElseThrow();
            if (task.status().isFinal()) {
                return Optional.of("task is already " + task.status());
            }
            tasks.transition(taskId, Set.of(task.status()), TaskStatus.CANCELLED, reason);
            events.append(taskId, new Event.StatusChanged(TaskStatus.CANCELLED, reason));
            claims.wake(taskId);
            return Optional.empty();
        });
        if (refused.isEmpty()) {
            metrics.finished("cancelled");
        }
        return refused;
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
            events.append(taskId, new Event.StatusChanged(TaskStatus.QUEUED, reason));
            claims.offer(taskId);
            return Optional.empty();
        });
        if (refused.isEmpty()) {
            workDue.ring();
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
                events.append(taskId, new Event.RecoveryTaken(Rung.REPLAN, null, reason));
            }
            plans.insert(new PlanVersion(taskId, version, reason, json, Instant.now()),
                    plan.subtasks().stream().map(s -> subtask(taskId, version, s)).toList());
            plans.supersedePending(taskId, version);
            tasks.setPlanVersion(taskId, version);
            events.append(taskId, new Event.Planned(version, plan.subtasks().size(), String.valueOf(plan.summary())));
            tasks.transition(taskId, TaskStatus.WORKABLE, TaskStatus.RUNNING, null);
            events.append(taskId, new Event.StatusChanged(TaskStatus.RUNNING, null));
            return true;
        });
        if (stored) {
            metrics.planned(replan);
            if (replan) {
                metrics.recovery(Rung.REPLAN);
            }
        }
        return stored;
    }

    /** The schedule routing will keep to for a plan version: each subtask's backend and planned start. */
    public void scheduled(UUID taskId, int planVersion, Scheduled scheduled) {
        var schedule = scheduled.schedule();
        var placements = new TreeMap<String, Event.Scheduled.Placement>();
        schedule.placements().forEach((key, p) -> placements.put(key, new Event.Scheduled.Placement(p.backend(),
                Math.round(p.startMs()), Math.round(p.finishMs()), Math.round(p.slackMs()))));
        events.append(taskId, new Event.Scheduled(planVersion, Math.round(schedule.makespanMs()), schedule.optimal(),
                placements));
    }

    /** Records how far an answer grandpa's model is writing has got (not in a transaction: one insert). */
    public void modelProgress(ModelProgress progress) {
        events.append(progress.taskId(), new Event.ModelProgress(progress.purpose(), progress.tokens(), progress.chars(),
                progress.elapsedMs(), progress.tail()));
    }

    /** What one call to grandpa's model cost, on the task it served. */

    public void modelCall(ModelCall call) {
        events.append(call.taskId(), new Event.ModelCalled(call.purpose(), call.promptTokens(), call.cachedTokens(),
                call.promptMs(), call.promptTokensPerSecond(), call.predictedTokens(), call.predictedMs(),
                call.predictedTokensPerSecond(), call.firstTokenMs(), call.wallMs(), call.model()));
        metrics.modelCall(call);
    }

    /** Parks the task for a person to act on; it needs no more work until resumed. */
    public void block(UUID taskId, UUID subtaskId, String reason) {
        boolean blocked = inTx(() -> {
            if (!tasks.transition(taskId, TaskStatus.WORKABLE, TaskStatus.BLOCKED, reason)) {
                return false;
            }
            recoveries.record(taskId, subtaskId, Rung.BLOCK, reason);
            events.append(taskId, new Event.StatusChanged(TaskStatus.BLOCKED, reason));
            claims.remove(taskId);
            return true;
        });
        if (blocked) {
            metrics.recovery(Rung.BLOCK);
            metrics.finished("blocked");
        }
    }

    public boolean finish(UUID taskId, String result) {
        boolean done = inTx(() -> {
            if (!tasks.transition(taskId, EnumSet.of(TaskStatus.INTEGRATING), TaskStatus.DONE, null)) {
                return false;
            }
            tasks.setResult(taskId, result);
            events.append(taskId, new Event.StatusChanged(TaskStatus.DONE, null));
            claims.remove(taskId);
            return true;
        });
        if (done) {
            metrics.finished("done");
        }
        return done;
    }

    /** The model is back: tasks waiting for it are looked at now rather than at their next retry. */
    public void wakeWaiting() {
        if (claims.wakeWaiting() > 0) {
            workDue.ring();
        }
    }

    /** Marks calls cut off by a stopped service; they are made again as new attempts. */
    public void interruptStartedAttempts(UUID taskId) {
        inTx(() -> {
            int n = attempts.interruptStarted(taskId);
            if (n > 0) {
                events.append(taskId, new Event.AttemptsInterrupted(n));
            }
            return null;
        });
    }

    private static Subtask subtask(UUID taskId, int version, PlannedSubtask s) {
        return new Subtask(UUID.randomUUID(), taskId, version, s.id(), s.title(), s.instructions(),
                s.kind() == null ? "code" : s.kind(), s.capability(), s.dependsOn(), s.acceptanceCriteria(),
                SubtaskStatus.PENDING, null, s.check(), null, s.needs());
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }
}
