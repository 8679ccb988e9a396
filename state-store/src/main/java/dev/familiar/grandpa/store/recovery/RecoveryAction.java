package dev.familiar.grandpa.store.recovery;

import java.time.Instant;
import java.util.UUID;

public record RecoveryAction(long id, UUID taskId, UUID subtaskId, Rung rung, String reason, Instant createdAt) {}
