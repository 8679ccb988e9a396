package dev.familiar.grandpa.store.attempt;

import java.time.Instant;
import java.util.UUID;

/**
 * One call of one subtask to one backend, stored before the call and completed after it.
 *
 * @param startCommit the commit its worktree started from (repository tasks), or null
 * @param patch       the change it made there, as a patch on {@code startCommit}, or null
 */
public record Attempt(
        long id,
        UUID taskId,
        UUID subtaskId,
        int number,
        String backend,
        String routingReason,
        String feedback,
        AttemptStatus status,
        String errorKind,
        String error,
        String output,
        String finishReason,
        Integer promptTokens,
        Integer completionTokens,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        int transportRetries,
        String startCommit,
        String patch) {}
