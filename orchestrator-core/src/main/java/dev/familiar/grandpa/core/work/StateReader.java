package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.InFlight;
import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.engine.TaskState;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.RecoveryAction;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads what a task's next step is decided from: its stored history since it was last resumed. */
class StateReader {
    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final BackendRegistry backends;
    private final CheckRepository checks;
    private final WorkspaceRepository workspaces;

    public StateReader(TaskRepository tasks, PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries,
                       BackendRegistry backends, CheckRepository checks, WorkspaceRepository workspaces) {
        this.tasks = tasks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.backends = backends;
        this.checks = checks;
        this.workspaces = workspaces;
    }

    public Optional<TaskState> read(UUID taskId, InFlight inFlight) {
        Optional<Task> found = tasks.find(taskId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Task task = found.get();
        List<Subtask> live = plans.subtasks(taskId).stream()
                .filter(s -> s.status() == SubtaskStatus.ACCEPTED
                        || (s.status() == SubtaskStatus.PENDING && s.planVersion() == task.planVersion()))
                .toList();
        List<RecoveryAction> recovered = recoveries.ofTask(taskId);
        Instant resumed = recovered.stream().filter(r -> r.rung() == Rung.RESUME).map(RecoveryAction::createdAt)
                .reduce((a, b) -> b).orElse(Instant.EPOCH);
        long replans = recovered.stream().filter(r -> r.rung() == Rung.REPLAN && r.createdAt().isAfter(resumed)).count();
        Map<UUID, List<Attempt>> history = new HashMap<>();
        for (Attempt a : attempts.ofTask(taskId)) {
            if (a.startedAt().isAfter(resumed)) {
                history.computeIfAbsent(a.subtaskId(), k -> new ArrayList<>()).add(a);
            }
        }
        history.values().forEach(list -> list.sort(java.util.Comparator.comparingInt(Attempt::number)));
        Map<Long, Evaluation> evaluations = new HashMap<>();
        attempts.evaluationsOfTask(taskId).forEach(e -> evaluations.put(e.attemptId(), e));
        Map<Long, List<StoredCheck>> byAttempt = new HashMap<>();
        String acceptanceFailure = null;
        if (task.repo() != null) {
            String head = workspaces.find(taskId).map(TaskWorkspace::headCommit).orElse(null);
            StoredCheck lastOnHead = null;
            for (StoredCheck c : checks.ofTask(taskId)) {
                if (c.attemptId() != null) {
                    byAttempt.computeIfAbsent(c.attemptId(), k -> new ArrayList<>()).add(c);
                } else if (head != null && head.equals(c.commit())) {
                    lastOnHead = c;
                }
            }
            if (lastOnHead != null && !lastOnHead.passed()) {
                acceptanceFailure = Evaluator.byChecks(List.of(lastOnHead)).feedback();
            }
        }
        return Optional.of(new TaskState(task, live, history, evaluations, replans, !backends.all().isEmpty(), inFlight,
                byAttempt, acceptanceFailure, unavailable(backends.all())));
    }

    /**
     * Capabilities that enabled backends have but none of them can take work now, with why: their
     * backends are away (not answering, circuit open) or draining, which passes by itself. A capability
     * no enabled backend has is not among them: that is for recovery to answer.
     */
    static Map<String, String> unavailable(java.util.Collection<CoderBackend> all) {
        var byCapability = new java.util.TreeMap<String, List<CoderBackend>>();
        for (CoderBackend b : all) {
            if (b.enabled()) {
                b.spec().capabilities().forEach(c -> byCapability.computeIfAbsent(c, k -> new ArrayList<>()).add(b));
            }
        }
        var unavailable = new HashMap<String, String>();
        byCapability.forEach((capability, backends) -> {
            if (backends.stream().noneMatch(CoderBackend::available)) {
                unavailable.put(capability, String.join(", ", backends.stream().map(b -> b.name() + " "
                        + (b.draining() ? "is draining" : !b.healthy() ? "does not answer" : "has its circuit open after failures"))
                        .toList()));
            }
        });
        return unavailable;
    }
}
