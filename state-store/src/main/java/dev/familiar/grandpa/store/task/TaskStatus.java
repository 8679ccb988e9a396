package dev.familiar.grandpa.store.task;

import java.util.EnumSet;
import java.util.Set;

/** Where a task stands. QUEUED → PLANNING → RUNNING → INTEGRATING → DONE, with detours. */
public enum TaskStatus {
    QUEUED,
    PLANNING,
    RUNNING,
    INTEGRATING,
    /** Waiting for something outside grandpa (a model endpoint that is down); resumes by itself. */
    WAITING,
    /** Recovery is exhausted; a person resumes it through the API. */
    BLOCKED,
    DONE,
    CANCELLED;

    /** Statuses in which a worker may still move the task on. */
    public static final Set<TaskStatus> WORKABLE = EnumSet.of(QUEUED, PLANNING, RUNNING, INTEGRATING, WAITING);

    public boolean isFinal() {
        return this == DONE || this == CANCELLED;
    }
}
