package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.attempt.AttemptRunner;
import dev.familiar.grandpa.core.engine.RecoveryLadder;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.integration.Integrator;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.resident.ModelQueue;
import dev.familiar.grandpa.delegation.routing.Lease;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The long parts of a task's steps, started without waiting for them: a plan ({@link PlanJob}), a
 * judgement ({@link JudgeJob}), an integration (each waits its turn at grandpa's model for its model call
 * only) and a coder call (on the backend routing leased). Each ends by storing what it got; nothing is
 * stored for work that was abandoned.
 */
final class Jobs implements AutoCloseable {
    private final JobGate gate;
    private final PlanJob plans;
    private final JudgeJob judgements;
    private final Integrator integrator;
    private final AttemptRunner runner;
    private final TaskLedger ledger;
    private final ModelQueue queue;

    Jobs(JobGate gate, PlanJob plans, JudgeJob judgements, Integrator integrator, AttemptRunner runner,
                TaskLedger ledger, ModelQueue queue) {
        this.gate = gate;
        this.plans = plans;
        this.judgements = judgements;
        this.integrator = integrator;
        this.runner = runner;
        this.ledger = ledger;
        this.queue = queue;
    }

    CompletableFuture<Void> plan(HeldTask work, Task task, List<Subtask> accepted, int version, String cause) {
        return plans.run(work, task, accepted, version, cause);
    }

    CompletableFuture<Void> judge(HeldTask work, Task task, Step.Judge step) {
        return judgements.run(work, task, step);
    }

    /**
     * Checks the task's whole change (the acceptance check on the branch's head), has grandpa write a
     * short summary, and delivers the result (pushed, a pull request opened, where the repository says
     * so). A failed acceptance check is stored and the next step re-plans.
     *
     * @param accepted the task's accepted subtasks, in plan order
     */
    CompletableFuture<Void> integrate(HeldTask work, Task task, List<Subtask> accepted) {
        return CompletableFuture.supplyAsync(() -> gate.skip(work) ? Optional.<Integrator.Checked>empty()
                        : integrator.check(task), gate.io())
                .thenCompose(checked -> checked.isEmpty() ? CompletableFuture.completedFuture(null)
                        : queue.enqueue(Purpose.INTEGRATE, () -> gate.skip(work) ? null
                                : new Summarised(checked.get(), integrator.summary(task, accepted, checked.get()))))
                .thenAcceptAsync(summarised -> {
                    if (summarised != null && !gate.skip(work)) {
                        ledger.finish(task.id(), integrator.deliver(task, accepted, summarised.checked(), summarised.summary()));
                    }
                }, gate.io());
    }

    private record Summarised(Integrator.Checked checked, String summary) {}

    /**
     * Calls the leased backend on a thread of its own, which abandoning the task interrupts; done when the
     * call's outcome (an answer, a failed call) is stored, failed with what went wrong otherwise.
     */
    CompletableFuture<Void> call(HeldTask work, Task task, Subtask subtask, List<Subtask> live, RecoveryLadder.Call call,
                                 Lease lease) {
        return CompletableFuture.runAsync(() -> {
            try (lease) {
                if (!gate.stopping() && work.calling(subtask.id(), Thread.currentThread())) {
                    runner.run(task, subtask, live, new AttemptRunner.Why(call.feedback(), call.rung(), call.reason()), lease);
                }
            }
        }, gate.io());
    }

    void stopStarting() {
        gate.stopStarting();
    }

    @Override
    public void close() {
        gate.close();
    }
}
