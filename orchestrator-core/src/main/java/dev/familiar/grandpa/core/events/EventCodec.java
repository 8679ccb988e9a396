package dev.familiar.grandpa.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events to and from the JSON of the event log: a record's fields (nulls left out; enums by name, purposes
 * and judges in lower case; text cleaned of what PostgreSQL refuses), and read back into the same record.
 * The one place that turns events into JSON and back; everything that reads stored events (the lines a
 * person reads, the doors, the replay of histories) reads them through it.
 */
public final class EventCodec {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(StoredText.jacksonModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer instance may have added a field
            .build();

    private EventCodec() {
    }

    public static String encode(Event event) {
        return JSON.writeValueAsString(event);
    }

    /** The stored event as its record; empty for a type this version does not know. */
    public static Optional<Event> decode(TaskEvent stored) {
        return decode(stored.type(), stored.data());
    }

    public static Optional<Event> decode(String type, Map<String, Object> data) {
        return EventType.named(type).map(t -> JSON.convertValue(data, t.record()));
    }
}
