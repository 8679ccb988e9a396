package dev.familiar.grandpa.store.check;

import java.time.Instant;
import java.util.UUID;

/**
 * One check of a change: a repository command run in the sandbox, or one of grandpa's own (the edits
 * apply, the change goes onto the branch).
 *
 * @param attemptId  the attempt whose change it checked, or null for a check of the task's branch
 * @param command    the command run, or null for grandpa's own checks
 * @param commit     the commit checked (a check of the branch), or null
 * @param exitCode   its exit status, or null when no command ran
 * @param outputTail the end of its output, or what grandpa found
 */
public record StoredCheck(long id, UUID taskId, Long attemptId, String name, String command, String commit, Integer exitCode,
                          long durationMs, boolean timedOut, boolean passed, String outputTail, Instant createdAt) {

    /** A check not stored yet. */
    public static StoredCheck of(UUID taskId, Long attemptId, String name, String command, String commit, Integer exitCode,
                                 long durationMs, boolean timedOut, boolean passed, String outputTail) {
        return new StoredCheck(0, taskId, attemptId, name, command, commit, exitCode, durationMs, timedOut, passed,
                outputTail, null);
    }
}
