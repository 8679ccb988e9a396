package dev.familiar.grandpa.store.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record Task(
        UUID id,
        String title,
        String goal,
        String repo,
        List<String> labels,
        int priority,
        String acceptanceCommand,
        String idempotencyKey,
        String requestHash,
        TaskStatus status,
        String statusReason,
        int planVersion,
        String result,
        Instant createdAt,
        Instant updatedAt) {}
