package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.TaskRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/tasks/{id}/events}: the stored events, then new ones as they are stored. New ones
 * are read from the database, so a client sees events written by any instance on the same database.
 * The stream ends after the task reaches DONE or CANCELLED; {@code Last-Event-ID} resumes it.
 */
@RestController
public class TaskEventStream {
    private static final int BATCH = 500;

    private final EventLog events;
    private final TaskRepository tasks;
    private final Duration pollInterval;

    public TaskEventStream(EventLog events, TaskRepository tasks,
                           @Value("${grandpa.api.event-poll-interval:250ms}") Duration pollInterval) {
        this.events = events;
        this.tasks = tasks;
        this.pollInterval = pollInterval;
    }

    @GetMapping(path = "/api/tasks/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@PathVariable UUID id,
                             @RequestHeader(name = "Last-Event-ID", required = false, defaultValue = "0") long lastEventId) {
        tasks.find(id).orElseThrow(() -> new TaskNotFoundException(id));
        var emitter = new SseEmitter(Duration.ofHours(1).toMillis());
        Thread.ofVirtual().name("sse-" + id).start(() -> pump(id, lastEventId, emitter));
        return emitter;
    }

    private void pump(UUID id, long after, SseEmitter emitter) {
        long last = after;
        try {
            while (true) {
                boolean finished = tasks.find(id).map(t -> t.status().isFinal()).orElse(true);
                var batch = events.after(id, last, BATCH);
                for (TaskEvent e : batch) {
                    emitter.send(SseEmitter.event().id(Long.toString(e.id())).name(e.type()).data(TaskViews.EventView.of(e)));
                    last = e.id();
                }
                if (batch.isEmpty() && finished) {
                    emitter.complete();
                    return;
                }
                if (batch.size() < BATCH) {
                    Thread.sleep(pollInterval);
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing to clean up beyond the emitter
            emitter.completeWithError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        }
    }
}
