package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.attempt.AttemptRunner;
import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.engine.Committing;
import dev.familiar.grandpa.core.engine.RecoveryLadder;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.evaluation.FirstJudge;
import dev.familiar.grandpa.core.evaluation.FirstJudgeSettings;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.grandpa.ModelDesk;
import dev.familiar.grandpa.core.grandpa.Purpose;
import dev.familiar.grandpa.core.integration.Integrator;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.planning.Planner;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.delegation.routing.Lease;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The long parts of a task's steps, started without waiting for them: a plan, a judgement, an
 * integration (each waits its turn at grandpa's model for its model call only) and a coder call (on
 * the backend routing leased). Each ends by storing what it got; nothing is stored for work that was
 * abandoned.
 */
public final class Jobs implements AutoCloseable {
    private final TaskLedger ledger;
    private final TaskContext context;
    private final Planner planner;
    private final Evaluator evaluator;
    private final FirstJudge firstJudge;
    private final Integrator integrator;
    private final AttemptRunner runner;
    private final BackendRegistry backends;
    private final ModelDesk desk;
    private final Repositories repositories;
    private final TaskBranches branches;

    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    /** The service stops: work that has not started yet does not start; what runs finishes and stores. */
    private volatile boolean stopping;

    public Jobs(TaskLedger ledger, TaskContext context, Planner planner, Evaluator evaluator,
                FirstJudgeSettings firstJudge, Integrator integrator, AttemptRunner runner, BackendRegistry backends,
                Router router, EventJournal events, Clock clock, ModelDesk desk, Repositories repositories,
                TaskBranches branches) {
        this.repositories = repositories;
        this.branches = branches;
        this.ledger = ledger;
        this.context = context;
        this.planner = planner;
        this.evaluator = evaluator;
        this.firstJudge = new FirstJudge(firstJudge, router, events, clock, io);
        this.integrator = integrator;
        this.runner = runner;
        this.backends = backends;
        this.desk = desk;
    }

    /**
     * Gathers the context (once per task) and, in a repository, opens the task's branch (the mirror
     * fetched first); asks for a plan version and stores it, or blocks the task.
     */
    CompletableFuture<Void> plan(TaskWork work, Task task, List<Subtask> accepted, int version, String cause) {
        Map<String, String> checks = task.repo() == null ? Map.of() : repositories.of(task.repo()).spec().checks();
        return CompletableFuture.supplyAsync(() -> {
                    if (task.repo() != null) {
                        branches.open(task);
                    }
                    return context.of(task);
                }, io)
                .thenCompose(pack -> desk.submit(Purpose.PLAN, () -> skip(work) ? null
                        : planner.plan(task, version, cause, accepted, capabilities(), pack, checks)))
                .thenAcceptAsync(outcome -> {
                    switch (outcome) {
                        case null -> { }
                        case Planner.Planned p -> ledger.storePlan(task.id(), version, cause == null ? "first plan" : cause,
                                p.plan(), p.json(), cause != null);
                        case Planner.Rejected r -> ledger.block(task.id(), null, r.reason());
                    }
                }, io);
    }

    /**
     * Judges an output as the step says: a verdict by rule is stored as it is; else the first judge may
     * decide, else grandpa judges. A change that passes is committed on the task's branch, and what that
     * makes of the verdict ({@link Committing}) is stored.
     */
    CompletableFuture<Void> judge(TaskWork work, Task task, Step.Judge step) {
        Subtask subtask = step.subtask();
        Attempt attempt = step.attempt();
        if (step.ruled() != null) {
            return CompletableFuture.runAsync(() -> {
                if (!skip(work)) {
                    ledger.evaluate(attempt, subtask, step.ruled());
                }
            }, io);
        }
        Evaluator.Review review = Evaluator.review(task, subtask, attempt, step.checks());
        return firstJudge.judge(subtask.key(), attempt, review, !step.checks().isEmpty())
                .thenCompose(first -> first.isPresent() ? CompletableFuture.completedFuture(first.get())
                        : desk.submit(Purpose.JUDGE, () -> skip(work) ? null : evaluator.judge(task, review)))
                .thenAcceptAsync(judgement -> {
                    if (judgement == null || skip(work)) {
                        return;
                    }
                    if (task.repo() == null || judgement.verdict() != Verdict.PASS) {
                        ledger.evaluate(attempt, subtask, judgement);
                        return;
                    }
                    switch (Committing.after(branches.commit(task, subtask, attempt), judgement, attempt)) {
                        case Committing.Accept accept -> ledger.evaluate(attempt, subtask, accept.judgement(), accept.head());
                        case Committing.Revise revise -> ledger.conflicted(attempt, subtask, revise.judgement(), revise.merge());
                    }
                }, io);
    }

    /**
     * Checks the task's whole change (the acceptance check on the branch's head), has grandpa write a
     * short summary, and delivers the result (pushed, a pull request opened, where the repository says
     * so). A failed acceptance check is stored and the next step re-plans.
     *
     * @param accepted the task's accepted subtasks, in plan order
     */
    CompletableFuture<Void> integrate(TaskWork work, Task task, List<Subtask> accepted) {
        return CompletableFuture.supplyAsync(() -> skip(work) ? Optional.<Integrator.Checked>empty()
                        : integrator.check(task), io)
                .thenCompose(checked -> checked.isEmpty() ? CompletableFuture.completedFuture(null)
                        : desk.submit(Purpose.INTEGRATE, () -> skip(work) ? null
                                : new Summarised(checked.get(), integrator.summary(task, accepted, checked.get()))))
                .thenAcceptAsync(summarised -> {
                    if (summarised != null && !skip(work)) {
                        ledger.finish(task.id(), integrator.deliver(task, accepted, summarised.checked(), summarised.summary()));
                    }
                }, io);
    }

    private record Summarised(Integrator.Checked checked, String summary) {}

    /**
     * Calls the leased backend on a thread of its own, which abandoning the task interrupts.
     *
     * @param ended told when the call is over: with null when its outcome (an answer, a failed call) is
     *              stored, else with what went wrong
     */
    void call(TaskWork work, Task task, Subtask subtask, List<Subtask> live, RecoveryLadder.Call call, Lease lease,
              Consumer<Throwable> ended) {
        io.execute(() -> {
            Throwable error = null;
            try (lease) {
                if (!stopping && work.calling(subtask.id(), Thread.currentThread())) {
                    runner.run(task, subtask, live, new AttemptRunner.Why(call.feedback(), call.rung(), call.reason()), lease);
                }
            } catch (RuntimeException e) {
                error = e;
            } finally {
                ended.accept(error);
            }
        });
    }

    void stopStarting() {
        stopping = true;
    }

    private boolean skip(TaskWork work) {
        return stopping || work.abandoned;
    }

    private TreeSet<String> capabilities() {
        var capabilities = new TreeSet<String>();
        backends.all().stream().filter(CoderBackend::enabled).forEach(b -> capabilities.addAll(b.spec().capabilities()));
        return capabilities;
    }

    /** Waits a little for interrupted calls to store that they were stopped, then stops the rest. */
    @Override
    public void close() {
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
    }
}
