package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.core.planning.Planner;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.resident.ModelQueue;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A plan version for a task: its context gathered, its branch opened, what grandpa wants to look up first
 * looked up, grandpa asked, the plan stored.
 */
final class PlanJob {
    private final JobGate gate;
    private final TaskLedger ledger;
    private final TaskContext context;
    private final Planner planner;
    private final ModelQueue queue;
    private final Repositories repositories;
    private final TaskBranches branches;
    private final BackendRegistry backends;

    PlanJob(JobGate gate, TaskLedger ledger, TaskContext context, Planner planner, ModelQueue queue,
                   Repositories repositories, TaskBranches branches, BackendRegistry backends) {
        this.gate = gate;
        this.ledger = ledger;
        this.context = context;
        this.planner = planner;
        this.queue = queue;
        this.repositories = repositories;
        this.branches = branches;
        this.backends = backends;
    }

    /**
     * Gathers the context (once per task) and, in a repository, opens the task's branch (the mirror
     * fetched first); asks for a plan version and stores it, or blocks the task.
     */
    CompletableFuture<Void> run(HeldTask work, Task task, List<Subtask> accepted, int version, String cause) {
        Map<String, String> checks = task.repo() == null ? Map.of() : repositories.of(task.repo()).spec().checks();
        return CompletableFuture.supplyAsync(() -> {
                    if (task.repo() != null) {
                        branches.open(task);
                    }
                    return context.of(task);
                }, gate.io())
                // the lookups and the plan in one turn of the queue: on one session, the plan request right after them
                .thenCompose(pack -> queue.enqueue(Purpose.PLAN, () -> gate.skip(work) ? null
                        : planner.plan(task, version, cause, accepted, capabilities(), !context.lookups().offered(task) ? pack
                                : pack + context.lookups().lookUp(task, pack, cause), checks)))
                .thenAcceptAsync(outcome -> {
                    switch (outcome) {
                        case null -> { }
                        case Planner.Planned p -> ledger.storePlan(task.id(), version, cause == null ? "first plan" : cause,
                                p.plan(), p.json(), cause != null);
                        case Planner.Rejected r -> ledger.block(task.id(), null, r.reason());
                    }
                }, gate.io());
    }

    private TreeSet<String> capabilities() {
        var capabilities = new TreeSet<String>();
        backends.all().stream().filter(CoderBackend::enabled).forEach(b -> capabilities.addAll(b.spec().capabilities()));
        return capabilities;
    }
}
