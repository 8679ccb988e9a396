package dev.familiar.grandpa.store.plan;

import java.time.Instant;
import java.util.UUID;

/** A plan as grandpa answered it (validated JSON), and why this version was made. */
public record PlanVersion(UUID taskId, int version, String reason, String body, Instant createdAt) {}
