package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.TaskRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/tasks/{id}/events}: the stored events, then new ones as they are stored. New ones
 * are read from the database, so a client sees events written by any instance on the same database.
 * The stream ends after the task reaches DONE or CANCELLED, or when the service stops (a client
 * resumes with {@code Last-Event-ID}); a comment is sent when nothing happened for a while, so proxies
 * and clients know the stream is alive.
 */
@RestController
public class TaskEventStream implements ApplicationListener<ContextClosedEvent> {
    private static final int BATCH = 500;

    private final EventLog events;
    private final TaskRepository tasks;
    private final Duration pollInterval;
    private final Duration heartbeat;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public TaskEventStream(EventLog events, TaskRepository tasks,
                           @Value("${grandpa.api.event-poll-interval:250ms}") Duration pollInterval,
                           @Value("${grandpa.api.event-heartbeat:15s}") Duration heartbeat) {
        this.events = events;
        this.tasks = tasks;
        this.pollInterval = pollInterval;
        this.heartbeat = heartbeat;
    }

    @GetMapping(path = "/api/tasks/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@PathVariable UUID id,
                             @RequestHeader(name = "Last-Event-ID", required = false, defaultValue = "0") long lastEventId) {
        tasks.find(id).orElseThrow(() -> new TaskNotFoundException(id));
        var emitter = new SseEmitter(Duration.ofHours(1).toMillis());
        open.add(emitter);
        Thread.ofVirtual().name("sse-" + id).start(() -> pump(id, lastEventId, emitter));
        return emitter;
    }

    /** The service is stopping: every stream ends now, so none holds the shutdown up. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
        open.forEach(SseEmitter::complete);
    }

    private void pump(UUID id, long after, SseEmitter emitter) {
        long last = after;
        long quietSince = System.nanoTime();
        try {
            while (!closing) {
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
                if (!batch.isEmpty()) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= heartbeat.toNanos()) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                    quietSince = System.nanoTime();
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
        } catch (RuntimeException e) {
            emitter.completeWithError(e); // the database went away under the stream
        } finally {
            open.remove(emitter);
        }
    }
}
