package dev.familiar.grandpa.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes events to a task's event log: the one place that names each kind of event and turns it into
 * JSON (its record's fields; nulls left out; enums by name, purposes and judges in lower case; text
 * cleaned of what PostgreSQL refuses).
 * Call it inside the transaction of the change the event records.
 */
public final class EventJournal {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(StoredText.jacksonModule())
            .build();

    private final EventLog log;

    public EventJournal(EventLog log) {
        this.log = log;
    }

    public long append(UUID taskId, Event event) {
        return log.append(taskId, type(event), JSON.writeValueAsString(event));
    }

    /** The event's type as the API and the event stream name it. */
    public static String type(Event event) {
        return switch (event) {
            case Event.Submitted e -> "submitted";
            case Event.StatusChanged e -> "status";
            case Event.ContextGathered e -> "context.gathered";
            case Event.Planned e -> "planned";
            case Event.Scheduled e -> "plan.scheduled";
            case Event.RecoveryTaken e -> "recovery";
            case Event.AttemptStarted e -> "attempt.started";
            case Event.AttemptOutput e -> "attempt.output";
            case Event.AttemptOutputRestarted e -> "attempt.output.restart";
            case Event.AttemptFinished e -> "attempt.finished";
            case Event.AttemptsInterrupted e -> "attempts.interrupted";
            case Event.Evaluated e -> "evaluated";
            case Event.FirstJudged e -> "judge.first";
            case Event.SubtaskAccepted e -> "subtask.accepted";
            case Event.ModelCalled e -> "model.call";
            case Event.ModelProgress e -> "model.progress";
            case Event.BranchOpened e -> "branch.opened";
            case Event.CheckRan e -> "check";
            case Event.ChangeCommitted e -> "change.committed";
            case Event.BranchRebuilt e -> "branch.rebuilt";
            case Event.BranchPushed e -> "branch.pushed";
        };
    }
}
