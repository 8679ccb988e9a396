package dev.familiar.grandpa.store.attempt;

import java.time.Instant;
import java.util.UUID;

/** One call of one subtask to one backend, stored before the call and completed after it. */
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
        int transportRetries) {}
