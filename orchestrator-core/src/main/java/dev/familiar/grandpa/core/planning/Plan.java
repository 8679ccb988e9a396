package dev.familiar.grandpa.core.planning;

import java.util.List;

/** grandpa's answer to "how should this be done": a summary and a DAG of subtasks. */
public record Plan(String summary, List<PlannedSubtask> subtasks) {
    public Plan {
        subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
    }
}
