package dev.familiar.grandpa.core.events;

import dev.familiar.grandpa.store.event.EventLog;
import java.util.UUID;

/**
 * Writes events to a task's event log, named by {@link EventType} and turned into JSON by
 * {@link EventCodec}. Call it inside the transaction of the change the event records.
 */
public final class EventJournal {
    private final EventLog log;

    public EventJournal(EventLog log) {
        this.log = log;
    }

    public long append(UUID taskId, Event event) {
        return log.append(taskId, EventType.of(event).wireName(), EventCodec.encode(event));
    }

    /** How many events of this kind the task has. */
    public int count(UUID taskId, EventType type) {
        return log.ofType(taskId, type.wireName()).size();
    }
}
