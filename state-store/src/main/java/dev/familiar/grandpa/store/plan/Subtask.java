package dev.familiar.grandpa.store.plan;

import java.util.List;
import java.util.UUID;

/**
 * One piece of a plan version; {@code key} is the id grandpa gave it, unique within its plan.
 *
 * @param checkName the repository check it names (null: the task's or the repository's acceptance check)
 * @param commit    its accepted change's commit on the task branch (repository tasks), or null
 * @param needs     what the plan says its coder needs to know besides its instructions, or null
 */
public record Subtask(
        UUID id,
        UUID taskId,
        int planVersion,
        String key,
        String title,
        String instructions,
        String kind,
        String capability,
        List<String> dependsOn,
        List<String> acceptanceCriteria,
        SubtaskStatus status,
        String output,
        String checkName,
        String commit,
        String needs) {

    public Subtask {
        dependsOn = List.copyOf(dependsOn);
        acceptanceCriteria = List.copyOf(acceptanceCriteria);
    }
}
