package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a task's attempts: an attempt stored before its call (with the recovery step that led to
 * it), the pieces of its answer, its outcome with the checks its change went through, and its verdict (a
 * pass accepts the subtask, in a repository at the commit it became), each with its events.
 */
public class AttemptLedger {
    private final TransactionTemplate tx;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final WorkspaceRepository workspaces;
    private final CheckRepository checks;
    /** Delegation outcomes counted as they are stored, for the dashboard's history. */
    private final StatsRepository history;
    private final EventJournal events;
    private final TaskMetrics metrics;

    public AttemptLedger(TransactionTemplate tx, Stores stores, EventJournal events, TaskMetrics metrics) {
        this.tx = tx;
        this.plans = stores.plans();
        this.attempts = stores.attempts();
        this.recoveries = stores.recoveries();
        this.workspaces = stores.workspaces();
        this.checks = stores.checks();
        this.history = stores.history();
        this.events = events;
        this.metrics = metrics;
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

    private StoredCheck storeCheck(StoredCheck check, String subtaskKey, Integer attemptNumber) {
        return CheckRecords.store(checks, events, check, subtaskKey, attemptNumber);
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }
}
