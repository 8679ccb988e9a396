package dev.familiar.grandpa.delegation.backend;

import java.util.List;

/**
 * What a coder is asked to do for one subtask.
 *
 * @param context  outputs of the subtasks this one depends on, and other context, in order
 * @param feedback the judge's feedback on the previous attempt, or null on a first try
 */
public record Assignment(
        String goal,
        String title,
        String instructions,
        List<String> acceptanceCriteria,
        List<String> context,
        String feedback) {

    public Assignment {
        acceptanceCriteria = List.copyOf(acceptanceCriteria);
        context = List.copyOf(context);
    }
}
