package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.InFlight;
import dev.familiar.grandpa.core.engine.TaskState;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.RecoveryAction;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads what a task's next step is decided from: its stored history since it was last resumed. */
public class StateReader {
    private final TaskRepository tasks;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final BackendRegistry backends;

    public StateReader(TaskRepository tasks, PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries,
                       BackendRegistry backends) {
        this.tasks = tasks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.backends = backends;
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
        return Optional.of(new TaskState(task, live, history, evaluations, replans, !backends.all().isEmpty(), inFlight));
    }
}
