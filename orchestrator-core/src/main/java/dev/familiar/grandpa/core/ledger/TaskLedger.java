package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.grandpa.ModelCall;
import dev.familiar.grandpa.core.grandpa.ModelProgress;
import dev.familiar.grandpa.core.planning.Plan;
import dev.familiar.grandpa.core.planning.PlannedSubtask;
import dev.familiar.grandpa.delegation.routing.Scheduled;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.PlanVersion;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.Submission;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a task's stored state, each in one transaction together with the event that
 * records it and, where the task starts or stops needing work, its claim row. Nothing else writes
 * tasks.
 */
public class TaskLedger {
    private final TransactionTemplate tx;
    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final ClaimRepository claims;
    private final WorkspaceRepository workspaces;
    private final CheckRepository checks;
    private final EventJournal events;
    private final TaskMetrics metrics;
    /** Delegation outcomes counted as they are stored, for the dashboard's history. */
    private final StatsRepository history;
    private final WorkDue workDue = new WorkDue();

    public TaskLedger(TransactionTemplate tx, TaskRepository tasks, PlanRepository plans, AttemptRepository attempts,
                      RecoveryRepository recoveries, ClaimRepository claims, WorkspaceRepository workspaces,
                      CheckRepository checks, StatsRepository history, EventJournal events, TaskMetrics metrics) {
        this.history = history;
        this.tx = tx;
        this.tasks = tasks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.claims = claims;
        this.workspaces = workspaces;
        this.checks = checks;
        this.events = events;
        this.metrics = metrics;
    }

    /** Rung when a task needs work now (after a submission, a resume), so this instance looks at once. */
    public WorkDue workDue() {
        return workDue;
    }

    public Submission submit(NewTask task) {
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

    /** Stores an attempt before its call, with the recovery step that led to it, if any. */
    public Attempt startAttempt(Subtask subtask, String backend, String routingReason, String feedback,
                                Rung rung, String rungReason) {
        Attempt attempt = inTx(() -> {
            if (rung != null) {
                recoveries.record(subtask.taskId(), subtask.id(), rung, rungReason);
                events.append(subtask.taskId(), new Event.RecoveryTaken(rung, subtask.key(), rungReason));
            }
            Attempt a = attempts.start(subtask.taskId(), subtask.id(), backend, routingReason, feedback);
            events.append(subtask.taskId(), new Event.AttemptStarted(subtask.key(), a.number(), backend, routingReason));
            return a;
        });
        if (rung != null) {
            metrics.recovery(rung);
        }
        return attempt;
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

    /** A piece of a coder's answer while it is produced, at {@code offset} characters into its try. */
    public void output(Attempt attempt, Subtask subtask, int tryNumber, int offset, String text) {
        events.append(attempt.taskId(), new Event.AttemptOutput(subtask.key(), attempt.number(), tryNumber, offset, text));
    }

    /** A transient error cut the answer off and the call is made again: the pieces of earlier tries are void. */
    public void outputRestarted(Attempt attempt, Subtask subtask, int tryNumber) {
        events.append(attempt.taskId(), new Event.AttemptOutputRestarted(subtask.key(), attempt.number(), tryNumber));
    }

    public void finishAttempt(Attempt attempt, Subtask subtask, AttemptOutcome outcome) {
        finishAttempt(attempt, subtask, outcome, List.of());
    }

    /** Stores the attempt's outcome with the checks its change went through (repository tasks). */
    public void finishAttempt(Attempt attempt, Subtask subtask, AttemptOutcome outcome, List<StoredCheck> ran) {
        inTx(() -> {
            attempts.finish(attempt.id(), outcome);
            if (outcome.status() == AttemptStatus.FAILED) {
                history.count(attempt.backend(), subtask.capability(), false);
            }
            events.append(attempt.taskId(), new Event.AttemptFinished(subtask.key(), attempt.number(), attempt.backend(),
                    outcome.status(), outcome.durationMs(), outcome.errorKind()));
            ran.forEach(check -> storeCheck(check, subtask.key(), attempt.number()));
            return null;
        });
        metrics.attempt(attempt.backend(), subtask.capability(), outcome);
    }

    /** Stores a judgement; a pass accepts the subtask with this output in the same transaction. */
    public Evaluation evaluate(Attempt attempt, Subtask subtask, Judgement judgement) {
        return evaluate(attempt, subtask, judgement, null);
    }

    /**
     * Stores a judgement; a pass accepts the subtask with this output in the same transaction, and,
     * in a repository, the commit its change became on the task's branch, which is the branch's new head.
     */
    public Evaluation evaluate(Attempt attempt, Subtask subtask, Judgement judgement, String commit) {
        Evaluation evaluation = inTx(() -> {
            Evaluation e = attempts.addEvaluation(attempt, judgement.verdict(), judgement.score(), judgement.feedback(),
                    judgement.checks(), judgement.judgedBy());
            history.count(attempt.backend(), subtask.capability(), judgement.verdict() == Verdict.PASS);
            events.append(attempt.taskId(), new Event.Evaluated(subtask.key(), attempt.number(), judgement.verdict(),
                    judgement.judgedBy()));
            if (judgement.verdict() == Verdict.PASS && plans.accept(subtask.id(), attempt.output(), commit)) {
                if (commit != null) {
                    workspaces.moveHead(attempt.taskId(), commit);
                    events.append(attempt.taskId(), new Event.ChangeCommitted(subtask.key(), attempt.number(), commit));
                }
                events.append(attempt.taskId(), new Event.SubtaskAccepted(subtask.key(), attempt.backend()));
            }
            return e;
        });
        metrics.verdict(attempt.backend(), subtask.capability(), judgement.verdict(), judgement.judgedBy());
        return evaluation;
    }

    /**
     * A change that passed does not apply to the task's branch as it is now: stored as a verdict of
     * integration with the check that found it, so the subtask is made again on the merged state.
     */
    public Evaluation conflicted(Attempt attempt, Subtask subtask, Judgement judgement, StoredCheck merge) {
        return inTx(() -> {
            storeCheck(merge, subtask.key(), attempt.number());
            return evaluate(attempt, subtask, judgement, null);
        });
    }

    /** The task's branch was made: stored unless it already was (then the stored one stands and is returned). */
    public TaskWorkspace openWorkspace(UUID taskId, String repository, String branch, String base) {
        return inTx(() -> {
            boolean known = workspaces.find(taskId).isPresent();
            TaskWorkspace ws = workspaces.open(taskId, repository, branch, base);
            if (!known) {
                events.append(taskId, new Event.BranchOpened(repository, branch, base));
            }
            return ws;
        });
    }

    /** The branch was made again from the stored changes; {@code head} is its head now. */
    public void rebuilt(UUID taskId, String branch, String head, int changes) {
        inTx(() -> {
            workspaces.moveHead(taskId, head);
            events.append(taskId, new Event.BranchRebuilt(branch, head, changes));
            return null;
        });
    }

    /** A check of the task's branch (its acceptance check on the whole change). */
    public StoredCheck branchChecked(StoredCheck check) {
        return inTx(() -> storeCheck(check, null, null));
    }

    public void pushed(UUID taskId, String branch, String head, String pullRequestUrl) {
        inTx(() -> {
            workspaces.pushed(taskId, pullRequestUrl);
            events.append(taskId, new Event.BranchPushed(branch, head, pullRequestUrl));
            return null;
        });
    }

    private StoredCheck storeCheck(StoredCheck check, String subtaskKey, Integer attemptNumber) {
        StoredCheck stored = checks.insert(check);
        events.append(check.taskId(), new Event.CheckRan(subtaskKey, attemptNumber, check.name(), check.passed(),
                check.exitCode(), check.durationMs(), check.commit()));
        return stored;
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
                SubtaskStatus.PENDING, null, s.check(), null);
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }
}
