package dev.familiar.grandpa.store.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One entry of a task's event log; ids grow, so a reader resumes after the last id it saw. */
public record TaskEvent(long id, UUID taskId, String type, Map<String, Object> data, Instant createdAt) {}
