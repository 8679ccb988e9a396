package dev.familiar.grandpa.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The event contract: every record of {@link Event} has one name ({@link EventType}), is stored as JSON and
 * read back into an equal record ({@link EventCodec}, for 50 seeded samples of each, every field filled), and
 * words a line for a person or says on purpose that it has none. A record changed without its codec or its
 * line fails here; its SQL readers are held to it by {@code EventReadersIT}.
 */
class EventContractTest {
    static final Set<Class<?>> SAY_NOTHING = Set.of(Event.AttemptOutputRestarted.class, Event.Scheduled.class);

    @Test
    void everyRecordHasOneNameAndEveryNameOneRecord() {
        Set<Class<?>> named = Arrays.stream(EventType.values()).map(EventType::record).collect(Collectors.toSet());
        assertThat(named).containsExactlyInAnyOrder(Event.class.getPermittedSubclasses());
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName).distinct()).hasSize(EventType.values().length);
        for (EventType type : EventType.values()) {
            assertThat(EventType.named(type.wireName())).contains(type);
        }
        assertThat(EventType.named("from.a.newer.version")).isEmpty();
    }

    @Test
    void everyRecordIsReadBackAsItWasStored() {
        for (long seed = 0; seed < 50; seed++) {
            var random = new Random(seed);
            for (EventType type : EventType.values()) {
                Event event = SampleEvents.of(type.record(), random);
                String json = EventCodec.encode(event);
                var stored = new dev.familiar.grandpa.store.event.TaskEvent(seed, java.util.UUID.randomUUID(), type.wireName(),
                        dev.familiar.grandpa.store.jdbc.JsonColumns.map(json), java.time.Instant.now()); // as the log reads it
                assertThat(EventCodec.decode(stored)).as(type + " seed " + seed + ": " + json).contains(event);
                assertThat(EventType.of(event)).isEqualTo(type);
            }
        }
    }

    @Test
    void everyRecordHasALineOrSaysNothingOnPurpose() {
        var random = new Random(7);
        for (EventType type : EventType.values()) {
            Event event = SampleEvents.of(type.record(), random);
            String line = EventLines.line(event, true);
            if (SAY_NOTHING.contains(type.record())) {
                assertThat(line).as(type.wireName()).isNull();
            } else {
                assertThat(line).as(type.wireName()).isNotBlank().doesNotContain("null");
            }
        }
        var output = SampleEvents.of(Event.AttemptOutput.class, random);
        assertThat(EventLines.line(output, false)).as("coders' answers only when asked").isNull();
    }

    @Test
    void anEventOfANewerVersionIsKeptAsItIs() {
        var stored = new dev.familiar.grandpa.store.event.TaskEvent(1, java.util.UUID.randomUUID(), "from.a.newer.version",
                java.util.Map.of("what", "new"), java.time.Instant.now());
        assertThat(EventCodec.decode(stored)).isEmpty();
        assertThat(EventLines.line(stored, false)).isEqualTo("from.a.newer.version {what=new}");
    }
}
