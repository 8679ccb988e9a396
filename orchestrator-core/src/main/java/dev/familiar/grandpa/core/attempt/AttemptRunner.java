package dev.familiar.grandpa.core.attempt;

import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.delegation.backend.Assignment;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderReply;
import dev.familiar.grandpa.delegation.routing.Lease;
import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;
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
 * comes, and the outcome is stored after it. In a repository the attempt works in a worktree of its
 * own, and its change and that change's checks are stored with the outcome; the backend is free again
 * as soon as it has answered, before the checks run.
 */
public class AttemptRunner {
    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final AttemptLedger ledger;
    private final BranchLedger branches;
    private final TaskContext context;
    private final AttemptWorktrees worktrees;

    public AttemptRunner(AttemptLedger ledger, BranchLedger branches, TaskContext context, AttemptWorktrees worktrees) {
        this.ledger = ledger;
        this.branches = branches;
        this.context = context;
        this.worktrees = worktrees;
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
            BackendKind kind = lease.backend().spec().kind();
            AttemptWorktrees.Prepared prepared = task.repo() == null ? null
                    : worktrees.prepare(task, subtask, branches::branchChecked);
            Attempt attempt = ledger.startAttempt(subtask, lease.backend().name(), lease.reason(), why.feedback(),
                    why.rung(), why.reason());
            long start = System.nanoTime();
            CoderReply reply;
            try (var relay = new OutputRelay(ledger, attempt, subtask);
                 var place = kind == BackendKind.CLI ? worktrees.agentPlace(task, subtask, prepared, lease.backend().name())
                         : null) {
                reply = lease.backend().complete(assignment(task, subtask, live, why.feedback(), prepared, place,
                        lease.backend().spec()), relay);
            } catch (CallFailure f) {
                if (prepared != null) {
                    worktrees.done(task, prepared, true);
                }
                if (f.kind() == ErrorKind.INTERRUPTED || Thread.currentThread().isInterrupted()) {
                    interrupted(attempt, subtask, (System.nanoTime() - start) / 1_000_000);
                    return false;
                }
                ledger.finishAttempt(attempt, subtask, AttemptOutcome.failed(f.kind().name(), f.getMessage(), f.durationMs()));
                return true;
            }
            lease.close(); // the coder is free for others while its change is checked
            var outcome = AttemptOutcome.succeeded(reply.text(), reply.finishReason(), reply.promptTokens(),
                    reply.completionTokens(), reply.durationMs(), reply.retries());
            if (prepared == null) {
                ledger.finishAttempt(attempt, subtask, outcome);
                return true;
            }
            try {
                var change = worktrees.change(task, subtask, attempt.id(), prepared, kind, reply.text());
                ledger.finishAttempt(attempt, subtask, outcome.withChange(prepared.worktree().startCommit(), change.patch()),
                        change.checks());
                worktrees.done(task, prepared, change.passed());
                return true;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted(attempt, subtask, (System.nanoTime() - start) / 1_000_000);
                    return false;
                }
                throw e;
            }
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

    /**
     * The coder's assignment: the subtask's context pack, the outputs of the subtasks this one needs, and
     * in a repository what the coder needs to change it (and the worktree a command-line agent works in).
     */
    Assignment assignment(Task task, Subtask subtask, List<Subtask> live, String feedback, AttemptWorktrees.Prepared prepared,
                          AttemptWorktrees.AgentPlace agent, BackendSpec coder) {
        var parts = new ArrayList<String>();
        String pack = context.of(task, subtask, coder);
        if (!pack.isEmpty()) {
            parts.add(pack);
        }
        for (Subtask dep : live) {
            if (subtask.dependsOn().contains(dep.key())) {
                parts.add("Output of subtask " + dep.key() + " (" + dep.title() + ")"
                        + (prepared != null ? ", already in the repository" : "") + ":\n" + dep.output());
            }
        }
        if (prepared != null) {
            parts.addAll(worktrees.context(task, subtask, prepared, agent != null ? BackendKind.CLI : BackendKind.OPENAI,
                    feedback));
        }
        return new Assignment(task.goal(), subtask.title(), subtask.instructions(), subtask.acceptanceCriteria(), parts,
                feedback, agent == null ? null : agent.dir().toString(), agent == null ? List.of() : agent.confined().launcher());
    }
}
