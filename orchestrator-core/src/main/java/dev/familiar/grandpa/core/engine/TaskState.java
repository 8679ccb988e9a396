package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the next step of a task is decided from: what is stored, and what its instance is doing.
 *
 * @param live               accepted subtasks of every plan version, and the pending ones of the live version
 * @param history            per live subtask, its attempts since the task was last resumed, oldest first
 * @param evaluations        evaluations of those attempts, by attempt id
 * @param replansSinceResume re-plans made since the task was last resumed
 * @param backendsConfigured whether any coder backend exists at all
 * @param checks             checks of those attempts' changes, by attempt id (repository tasks)
 * @param acceptanceFailure  what the acceptance check said when it failed on the branch's head, or null
 * @param unavailable        capabilities whose backends are all away for now (unreachable, circuit open,
 *                           draining), with why: work for them waits rather than fails
 */
public record TaskState(Task task, List<Subtask> live, Map<UUID, List<Attempt>> history, Map<Long, Evaluation> evaluations,
                        long replansSinceResume, boolean backendsConfigured, InFlight inFlight,
                        Map<Long, List<StoredCheck>> checks, String acceptanceFailure, Map<String, String> unavailable) {

    public TaskState {
        unavailable = Map.copyOf(unavailable);
        live = List.copyOf(live);
        history = Map.copyOf(history);
        evaluations = Map.copyOf(evaluations);
        checks = Map.copyOf(checks);
    }
}
