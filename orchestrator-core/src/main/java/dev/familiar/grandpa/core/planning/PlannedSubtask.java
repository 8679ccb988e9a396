package dev.familiar.grandpa.core.planning;

import java.util.List;

/** One subtask as grandpa planned it; {@code id} is unique within the task's live plan. */
public record PlannedSubtask(
        String id,
        String title,
        String instructions,
        String kind,
        String capability,
        List<String> dependsOn,
        List<String> acceptanceCriteria) {

    public PlannedSubtask {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        acceptanceCriteria = acceptanceCriteria == null ? List.of() : List.copyOf(acceptanceCriteria);
    }
}
