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

    /** The assignment as one prompt: goal, subtask, criteria, context, feedback. */
    public String prompt() {
        var p = new StringBuilder();
        p.append("Goal of the whole task: ").append(goal).append("\n\n");
        p.append("Your subtask: ").append(title).append("\n").append(instructions).append('\n');
        if (!acceptanceCriteria.isEmpty()) {
            p.append("\nAcceptance criteria:\n");
            acceptanceCriteria.forEach(c -> p.append("- ").append(c).append('\n'));
        }
        for (String c : context) {
            p.append("\n").append(c).append('\n');
        }
        if (feedback != null && !feedback.isBlank()) {
            p.append("\nFeedback on your previous attempt (fix this):\n").append(feedback).append('\n');
        }
        return p.toString();
    }
}
