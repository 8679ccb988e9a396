package dev.familiar.grandpa.store.task;

/** The outcome of storing a submission: the task, and whether this call created it. */
public record Submission(Task task, boolean created) {}
