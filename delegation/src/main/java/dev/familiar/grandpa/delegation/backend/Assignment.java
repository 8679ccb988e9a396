package dev.familiar.grandpa.delegation.backend;

import java.util.List;

/**
 * What a coder is asked to do for one subtask.
 *
 * @param context  outputs of the subtasks this one depends on, and other context, in order
 * @param feedback the judge's feedback on the previous attempt, or null on a first try
 * @param workdir  where a command-line agent works (the attempt's own worktree), or null for its
 *                 configured directory
 * @param launcher what a command-line agent's command is run under (a sandbox), or empty
 */
public record Assignment(
        String goal,
        String title,
        String instructions,
        List<String> acceptanceCriteria,
        List<String> context,
        String feedback,
        String workdir,
        List<String> launcher) {

    public Assignment {
        acceptanceCriteria = List.copyOf(acceptanceCriteria);
        context = List.copyOf(context);
        launcher = launcher == null ? List.of() : List.copyOf(launcher);
    }

    /** An assignment that is answered in text, not worked in a directory. */
    public Assignment(String goal, String title, String instructions, List<String> acceptanceCriteria, List<String> context,
                      String feedback) {
        this(goal, title, instructions, acceptanceCriteria, context, feedback, null, List.of());
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
