package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.store.eval.EvalCaseStatus;
import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What became of a running case: its task looked at, and once it ended, whether it was solved (DONE and the
 * held-out check passing on the branch head) and what it took, stored once. A BLOCKED task is recorded
 * unsolved and cancelled (a case never waits for a person); one with no outcome after the case timeout too.
 */
final class CaseOutcomes {
    private final EvalStore store;
    private final CaseRepositories repositories;
    private final HeldOutCheck heldOut;
    private final TaskLedger ledger;
    private final TaskRepository tasks;
    private final WorkspaceRepository workspaces;
    private final BackendRegistry backends;
    private final Duration caseTimeout;

    CaseOutcomes(EvalStore store, CaseRepositories repositories, HeldOutCheck heldOut, TaskLedger ledger, TaskRepository tasks,
                 WorkspaceRepository workspaces, BackendRegistry backends, Duration caseTimeout) {
        this.store = store;
        this.repositories = repositories;
        this.heldOut = heldOut;
        this.ledger = ledger;
        this.tasks = tasks;
        this.workspaces = workspaces;
        this.backends = backends;
        this.caseTimeout = caseTimeout;
    }

    /** Looks at a running case's task; true when the case has ended now. */
    boolean look(EvalRun run, Suite.Case c, EvalResult r) {
        Task task = tasks.find(r.taskId()).orElse(null);
        if (task == null) {
            return end(run, r, EvalCaseStatus.UNSOLVED, null, "its task is gone", null);
        }
        return switch (task.status()) {
            case DONE -> judge(run, c, r, task);
            case BLOCKED -> {
                ledger.cancel(task.id(), "its bake-off case ended unsolved (BLOCKED: " + task.statusReason() + ")");
                yield end(run, r, EvalCaseStatus.UNSOLVED, "BLOCKED", task.statusReason(), null);
            }
            case CANCELLED -> end(run, r, EvalCaseStatus.UNSOLVED, "CANCELLED", task.statusReason(), null);
            default -> {
                if (Duration.between(r.startedAt(), Instant.now()).compareTo(caseTimeout) < 0) {
                    yield false;
                }
                String why = "no outcome after " + caseTimeout + " (grandpa.evals.case-timeout)";
                ledger.cancel(task.id(), "its bake-off case took too long: " + why);
                yield end(run, r, EvalCaseStatus.UNSOLVED, task.status().name(), why, null);
            }
        };
    }

    private boolean judge(EvalRun run, Suite.Case c, EvalResult r, Task task) {
        TaskWorkspace branch = workspaces.find(task.id()).orElse(null);
        if (branch == null || c == null) {
            return end(run, r, EvalCaseStatus.UNSOLVED, "DONE", c == null ? "the suite no longer has this case"
                    : "the task ended without a branch", null);
        }
        var outcome = heldOut.run(repositories.repository(run.id(), c), branch.branch(), task.id(), c);
        return end(run, r, outcome.passed() ? EvalCaseStatus.SOLVED : EvalCaseStatus.UNSOLVED, "DONE",
                outcome.passed() ? null : "the held-out check failed", outcome.output());
    }

    private boolean end(EvalRun run, EvalResult r, EvalCaseStatus status, String taskStatus, String reason, String output) {
        Map<String, Double> costs = backends.all().stream().map(CoderBackend::spec)
                .collect(Collectors.toMap(s -> s.name(), s -> s.cost(), (a, b) -> a));
        var measures = r.taskId() == null || tasks.find(r.taskId()).isEmpty()
                ? new EvalResult.CaseMeasures(0, 0, Map.of(), 0, 0, 0, Map.of(), 0, 0)
                : store.measure(r.taskId(), costs);
        store.ended(run.id(), r.caseId(), r.repetition(), status, taskStatus, reason, output, measures);
        return true;
    }
}
