package dev.familiar.grandpa.core.attempt;

import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.delegation.backend.Assignment;
import dev.familiar.grandpa.delegation.backend.CallFailure;
import dev.familiar.grandpa.delegation.backend.CoderReply;
import dev.familiar.grandpa.delegation.backend.ErrorKind;
import dev.familiar.grandpa.delegation.routing.Lease;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.Task;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of a subtask on the backend routing leased: the attempt is stored before the call
 * (with the recovery step that led to it), the answer is relayed into the task's events while it
 * comes, and the outcome is stored after it.
 */
public class AttemptRunner {
    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final TaskLedger ledger;
    private final TaskContext context;

    public AttemptRunner(TaskLedger ledger, TaskContext context) {
        this.ledger = ledger;
        this.context = context;
    }

    /** Why this attempt is made: the feedback it carries and the rung of the recovery ladder, if any. */
    public record Why(String feedback, Rung rung, String reason) {}

    /**
     * @param live the task's live subtasks, for the outputs this one depends on
     * @return false when the call was cut off by grandpa itself (a cancel, a stop): it is made again
     *         when the task is worked next, if it still is
     */
    public boolean run(Task task, Subtask subtask, List<Subtask> live, Why why, Lease lease) {
        try (lease) {
            Attempt attempt = ledger.startAttempt(subtask, lease.backend().name(), lease.reason(), why.feedback(),
                    why.rung(), why.reason());
            long start = System.nanoTime();
            AttemptOutcome outcome;
            try (var relay = new OutputRelay(ledger, attempt, subtask)) {
                CoderReply reply = lease.backend().complete(assignment(task, subtask, live, why.feedback()), relay);
                outcome = AttemptOutcome.succeeded(reply.text(), reply.finishReason(), reply.promptTokens(),
                        reply.completionTokens(), reply.durationMs(), reply.retries());
            } catch (CallFailure f) {
                if (f.kind() == ErrorKind.INTERRUPTED || Thread.currentThread().isInterrupted()) {
                    interrupted(attempt, subtask, (System.nanoTime() - start) / 1_000_000);
                    return false;
                }
                outcome = AttemptOutcome.failed(f.kind().name(), f.getMessage(), f.durationMs());
            }
            ledger.finishAttempt(attempt, subtask, outcome);
            return true;
        }
    }

    /** Marked at once where the database still answers; otherwise when the task is next claimed. */
    private void interrupted(Attempt attempt, Subtask subtask, long ms) {
        boolean interrupted = Thread.interrupted(); // a pooled connection is not handed to an interrupted thread
        try {
            ledger.finishAttempt(attempt, subtask, AttemptOutcome.interrupted("the call was stopped by grandpa", ms));
        } catch (RuntimeException e) {
            log.debug("Attempt {} stays STARTED until its task is claimed again: {}", attempt.id(), e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The coder's assignment: the task's context pack, then the outputs of the subtasks this one needs. */
    Assignment assignment(Task task, Subtask subtask, List<Subtask> live, String feedback) {
        var parts = new ArrayList<String>();
        String pack = context.of(task);
        if (!pack.isEmpty()) {
            parts.add(pack);
        }
        for (Subtask dep : live) {
            if (subtask.dependsOn().contains(dep.key())) {
                parts.add("Output of subtask " + dep.key() + " (" + dep.title() + "):\n" + dep.output());
            }
        }
        return new Assignment(task.goal(), subtask.title(), subtask.instructions(), subtask.acceptanceCriteria(),
                parts, feedback);
    }
}
