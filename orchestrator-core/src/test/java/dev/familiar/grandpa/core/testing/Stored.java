package dev.familiar.grandpa.core.testing;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Stored records for unit tests, built by name: a test says what matters to it (an attempt's status and
 * output, a task's status) and the rest is a plausible default, not twenty positional arguments.
 */
public final class Stored {
    private Stored() {
    }

    public static AttemptBuilder attempt() {
        return new AttemptBuilder();
    }

    public static TaskBuilder task() {
        return new TaskBuilder();
    }

    /** An attempt: number 1 of a random subtask on "coder-a", SUCCEEDED with output "out", finished with "stop". */
    public static final class AttemptBuilder {
        private long id = 1;
        private UUID taskId = UUID.randomUUID();
        private UUID subtaskId = UUID.randomUUID();
        private int number = 1;
        private String backend = "coder-a";
        private String feedback;
        private AttemptStatus status = AttemptStatus.SUCCEEDED;
        private String errorKind;
        private String error;
        private String output = "out";
        private String finishReason = "stop";
        private String startCommit;
        private String patch;

        public AttemptBuilder id(long id) {
            this.id = id;
            return this;
        }

        public AttemptBuilder of(UUID taskId, UUID subtaskId) {
            this.taskId = taskId;
            this.subtaskId = subtaskId;
            return this;
        }

        public AttemptBuilder number(int number) {
            this.number = number;
            return this;
        }

        public AttemptBuilder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public AttemptBuilder feedback(String feedback) {
            this.feedback = feedback;
            return this;
        }

        public AttemptBuilder status(AttemptStatus status) {
            this.status = status;
            return this;
        }

        /** Failed (or interrupted) for this kind of error, with no answer. */
        public AttemptBuilder failed(AttemptStatus status, String errorKind, String error) {
            this.status = status;
            this.errorKind = errorKind;
            this.error = error;
            this.output = null;
            this.finishReason = null;
            return this;
        }

        public AttemptBuilder answered(String output, String finishReason) {
            this.output = output;
            this.finishReason = finishReason;
            return this;
        }

        public AttemptBuilder change(String startCommit, String patch) {
            this.startCommit = startCommit;
            this.patch = patch;
            return this;
        }

        public Attempt build() {
            boolean answered = output != null;
            return new Attempt(id, taskId, subtaskId, number, backend, "routed", feedback, status, errorKind, error, output,
                    finishReason, answered ? 1 : null, answered ? 1 : null, Instant.now(), Instant.now(),
                    answered ? 1L : null, 0, startCommit, patch);
        }
    }

    /** A task: "t", goal "g", no repository, RUNNING on plan version 1. */
    public static final class TaskBuilder {
        private UUID id = UUID.randomUUID();
        private String title = "t";
        private String goal = "g";
        private String repo;
        private List<String> labels = List.of();
        private String acceptance;
        private TaskStatus status = TaskStatus.RUNNING;
        private String statusReason;
        private int planVersion = 1;

        public TaskBuilder id(UUID id) {
            this.id = id;
            return this;
        }

        public TaskBuilder goal(String title, String goal) {
            this.title = title;
            this.goal = goal;
            return this;
        }

        public TaskBuilder repo(String repo, String acceptance) {
            this.repo = repo;
            this.acceptance = acceptance;
            return this;
        }

        public TaskBuilder labels(List<String> labels) {
            this.labels = labels;
            return this;
        }

        public TaskBuilder status(TaskStatus status, String reason) {
            this.status = status;
            this.statusReason = reason;
            return this;
        }

        public TaskBuilder planVersion(int planVersion) {
            this.planVersion = planVersion;
            return this;
        }

        public Task build() {
            return new Task(id, title, goal, repo, labels, 0, acceptance, null, null, status, statusReason, planVersion,
                    null, Instant.now(), Instant.now());
        }
    }
}
