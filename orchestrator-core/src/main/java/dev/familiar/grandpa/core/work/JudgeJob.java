package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.Committing;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.evaluation.FirstJudge;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.resident.ModelQueue;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.concurrent.CompletableFuture;

/** A verdict on an output, as the step says how to reach it, stored with what committing made of it. */
final class JudgeJob {
    private final JobGate gate;
    private final AttemptLedger attempts;
    private final Evaluator evaluator;
    private final FirstJudge firstJudge;
    private final ModelQueue queue;
    private final TaskBranches branches;

    JudgeJob(JobGate gate, AttemptLedger attempts, Evaluator evaluator, FirstJudge firstJudge, ModelQueue queue,
                    TaskBranches branches) {
        this.gate = gate;
        this.attempts = attempts;
        this.evaluator = evaluator;
        this.firstJudge = firstJudge;
        this.queue = queue;
        this.branches = branches;
    }

    /**
     * Judges an output as the step says: a verdict by rule is stored as it is; else the first judge may
     * decide, else grandpa judges. A change that passes is committed on the task's branch, and what that
     * makes of the verdict ({@link Committing}) is stored.
     */
    CompletableFuture<Void> run(HeldTask work, Task task, Step.Judge step) {
        Subtask subtask = step.subtask();
        Attempt attempt = step.attempt();
        if (step.ruled() != null) {
            return CompletableFuture.runAsync(() -> {
                if (!gate.skip(work)) {
                    attempts.evaluate(attempt, subtask, step.ruled());
                }
            }, gate.io());
        }
        Evaluator.Review review = Evaluator.review(task, subtask, attempt, step.checks());
        return firstJudge.judge(subtask.key(), attempt, review, !step.checks().isEmpty())
                .thenCompose(first -> first.isPresent() ? CompletableFuture.completedFuture(first.get())
                        : queue.enqueue(Purpose.JUDGE, () -> gate.skip(work) ? null : evaluator.judge(task, review)))
                .thenAcceptAsync(judgement -> {
                    if (judgement == null || gate.skip(work)) {
                        return;
                    }
                    if (task.repo() == null || judgement.verdict() != Verdict.PASS) {
                        attempts.evaluate(attempt, subtask, judgement);
                        return;
                    }
                    switch (Committing.after(branches.commit(task, subtask, attempt), judgement, attempt)) {
                        case Committing.Accept accept -> attempts.evaluate(attempt, subtask, accept.judgement(), accept.head());
                        case Committing.Revise revise -> attempts.conflicted(attempt, subtask, revise.judgement(), revise.merge());
                    }
                }, gate.io());
    }
}
