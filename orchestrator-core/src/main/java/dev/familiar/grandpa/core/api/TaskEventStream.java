package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
class TaskEventStream implements ApplicationListener<ContextClosedEvent> {
    private static final Set<TaskStatus> OVER = Set.of(TaskStatus.DONE, TaskStatus.CANCELLED);

    private final TaskRepository tasks;
    private final TaskFollowing following;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public TaskEventStream(TaskRepository tasks, TaskFollowing following) {
        this.tasks = tasks;
        this.following = following;
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
        try {
            following.follow(id, after, OVER, Duration.ofHours(1), () -> closing, new TaskFollowing.Listener() {
                @Override
                public void event(TaskEvent e) throws IOException {
                    emitter.send(SseEmitter.event().id(Long.toString(e.id())).name(e.type()).data(TaskViews.EventView.of(e)));
                }

                @Override
                public void quiet() throws IOException {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                }
            });
            emitter.complete();
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
