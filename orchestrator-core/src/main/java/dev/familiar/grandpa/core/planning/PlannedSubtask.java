package dev.familiar.grandpa.core.planning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One subtask as grandpa planned it; {@code id} is unique within the task's live plan.
 *
 * @param check the name of the repository check that proves it (repository tasks only), or null
 * @param needs what its coder needs to know besides the instructions (code symbols, files, notes), or null:
 *              its context pack is looked up with it
 */
public record PlannedSubtask(
        String id,
        String title,
        String instructions,
        String kind,
        String capability,
        List<String> dependsOn,
        List<String> acceptanceCriteria,
        String check,
        String needs) {

    /** Lists are kept as the model wrote them, nulls included, so the validator can name what is wrong. */
    public PlannedSubtask {
        dependsOn = dependsOn == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dependsOn));
        acceptanceCriteria = acceptanceCriteria == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(acceptanceCriteria));
    }
}
