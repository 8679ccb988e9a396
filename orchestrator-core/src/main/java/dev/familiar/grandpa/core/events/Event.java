package dev.familiar.grandpa.core.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * What can happen to a task, one record per kind of event. {@link EventJournal} names and stores
 * them; their fields are the event's {@code data} in the API and the event stream.
 */
public sealed interface Event {

    /** Accepted over the API; stored as QUEUED. */
    record Submitted(TaskStatus status) implements Event {}

    /** The task's status changed, and why (null when there is nothing to say). */
    record StatusChanged(TaskStatus status, String reason) implements Event {}

    /**
     * A context pack was gathered from the MCP sources: the task's (subtask null) or a subtask's.
     *
     * @param cut       how many items were left out (budget, time, duplicate); null in older events
     * @param countedBy how its tokens were counted; null in older events
     */
    record ContextGathered(String subtask, int items, int tokens, List<String> sources, List<String> problems, Integer cut,
                           String countedBy) implements Event {}

    /**
     * grandpa looked something up while planning: one of the context roles, asked with its own query.
     *
     * @param answer what the role answered, as the plan request carries it
     */
    record ContextLookedUp(String role, String query, List<String> symbols, int items, int tokens, List<String> problems,
                           String answer) implements Event {}

    /** A plan version was stored and is now the live one. */
    record Planned(int version, int subtasks, String summary) implements Event {}

    /** Where and when each subtask of a plan version is planned to run, in ms from the schedule's start. */
    record Scheduled(int version, long makespanMs, boolean optimal, Map<String, Placement> subtasks) implements Event {
        public record Placement(String backend, long startMs, long finishMs, long slackMs) {}
    }

    /** A rung of the recovery ladder was taken; {@code subtask} is null for a re-plan. */
    record RecoveryTaken(Rung rung, String subtask, String reason) implements Event {}

    /** A call to a coder was stored before it was made. */
    record AttemptStarted(String subtask, int attempt, String backend, String routing) implements Event {}

    /** A piece of a coder's answer while it is produced, at {@code offset} characters into its try. */
    record AttemptOutput(String subtask, int attempt, @JsonProperty("try") int tryNumber, int offset, String text)
            implements Event {}

    /** A transient error cut the answer off and the call is made again: earlier pieces are void. */
    record AttemptOutputRestarted(String subtask, int attempt, @JsonProperty("try") int tryNumber) implements Event {}

    /** The call to a coder ended; {@code error} is the kind of failure, or null. */
    record AttemptFinished(String subtask, int attempt, String backend, AttemptStatus status, long durationMs,
                           String error) implements Event {}

    /** Calls cut off by a stopped service were marked interrupted; they are made again. */
    record AttemptsInterrupted(int count) implements Event {}

    record Evaluated(String subtask, int attempt, Verdict verdict, JudgedBy judgedBy) implements Event {}

    /**
     * The first judge looked at an output: its verdict and confidence, and whether that decided
     * ({@code decided} false: grandpa judges it); {@code problem} says why it gave no verdict.
     */
    record FirstJudged(String subtask, int attempt, String backend, Verdict verdict, double confidence, boolean decided,
                       long durationMs, Integer promptTokens, Integer completionTokens, String problem) implements Event {}

    /** A passed output became the subtask's accepted deliverable. */
    record SubtaskAccepted(String subtask, String backend) implements Event {}

    /** One call to grandpa's model, as llama-server measured it; {@code model} is the model asked. */
    record ModelCalled(Purpose purpose, int promptTokens, int cachedTokens, double promptMs, double promptPerSecond,
                       int predictedTokens, double predictedMs, double predictedPerSecond, long firstTokenMs,
                       long wallMs, String model) implements Event {}

    /**
     * grandpa's model is still writing an answer for this task: pieces (tokens) and characters so far,
     * time since the request, and the end of the text so far. At most twice a second per call.
     */
    record ModelProgress(Purpose purpose, int tokens, int chars, long elapsedMs, String tail) implements Event {}

    /** The task's branch was made in its repository, from {@code base}. */
    record BranchOpened(String repository, String branch, String base) implements Event {}

    /**
     * A check ran: on an attempt's change ({@code subtask}, {@code attempt}), or on the task's branch
     * (both null); {@code exitCode} is null for grandpa's own checks (the edits apply, the change merges).
     */
    record CheckRan(String subtask, Integer attempt, String name, boolean passed, Integer exitCode, long durationMs,
                    String commit) implements Event {}

    /** An accepted change became a commit on the task's branch. */
    record ChangeCommitted(String subtask, int attempt, String commit) implements Event {}

    /** The branch the mirror had lost was made again from the stored changes. */
    record BranchRebuilt(String branch, String head, int changes) implements Event {}

    /** The branch was pushed to the repository's remote, with the pull request opened for it, if any. */
    record BranchPushed(String branch, String head, String pullRequest) implements Event {}
}
