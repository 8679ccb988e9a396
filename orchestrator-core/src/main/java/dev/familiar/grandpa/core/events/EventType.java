package dev.familiar.grandpa.core.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The name each kind of {@link Event} has in the event log, the API, the event stream and the SQL that
 * aggregates events: one entry per record, and every record has one (checked when the class loads, so a
 * new record without a name fails the first test that touches events).
 */
public enum EventType {
    SUBMITTED("submitted", Event.Submitted.class),
    STATUS("status", Event.StatusChanged.class),
    CONTEXT_GATHERED("context.gathered", Event.ContextGathered.class),
    CONTEXT_LOOKED_UP("context.looked-up", Event.ContextLookedUp.class),
    PLANNED("planned", Event.Planned.class),
    PLAN_SCHEDULED("plan.scheduled", Event.Scheduled.class),
    RECOVERY("recovery", Event.RecoveryTaken.class),
    ATTEMPT_STARTED("attempt.started", Event.AttemptStarted.class),
    ATTEMPT_OUTPUT("attempt.output", Event.AttemptOutput.class),
    ATTEMPT_OUTPUT_RESTART("attempt.output.restart", Event.AttemptOutputRestarted.class),
    ATTEMPT_FINISHED("attempt.finished", Event.AttemptFinished.class),
    ATTEMPTS_INTERRUPTED("attempts.interrupted", Event.AttemptsInterrupted.class),
    EVALUATED("evaluated", Event.Evaluated.class),
    FIRST_JUDGED("judge.first", Event.FirstJudged.class),
    SUBTASK_ACCEPTED("subtask.accepted", Event.SubtaskAccepted.class),
    MODEL_CALL("model.call", Event.ModelCalled.class),
    MODEL_PROGRESS("model.progress", Event.ModelProgress.class),
    BRANCH_OPENED("branch.opened", Event.BranchOpened.class),
    CHECK("check", Event.CheckRan.class),
    CHANGE_COMMITTED("change.committed", Event.ChangeCommitted.class),
    BRANCH_REBUILT("branch.rebuilt", Event.BranchRebuilt.class),
    BRANCH_PUSHED("branch.pushed", Event.BranchPushed.class);

    private static final Map<Class<?>, EventType> BY_RECORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.record, Function.identity()));
    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.wireName, Function.identity()));

    static {
        for (Class<?> record : Event.class.getPermittedSubclasses()) {
            if (!BY_RECORD.containsKey(record)) {
                throw new IllegalStateException(record.getName() + " has no EventType: name it there");
            }
        }
    }

    private final String wireName;
    private final Class<? extends Event> record;

    EventType(String wireName, Class<? extends Event> record) {
        this.wireName = wireName;
        this.record = record;
    }

    /** The name stored in {@code task_events.type} and sent as the event stream's event name. */
    public String wireName() {
        return wireName;
    }

    public Class<? extends Event> record() {
        return record;
    }

    public static EventType of(Event event) {
        return BY_RECORD.get(event.getClass());
    }

    /** The type of this name; empty for a name this version does not know (a newer instance stored it). */
    public static Optional<EventType> named(String wireName) {
        return Optional.ofNullable(BY_NAME.get(wireName));
    }
}
