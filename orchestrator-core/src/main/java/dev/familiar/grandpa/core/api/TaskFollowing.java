package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Follows a task's events as they are stored (by any instance on the database): the stored ones after
 * a given id, then new ones, read at the poll interval, until the task reaches one of the given
 * statuses, the time is up or the caller stops. A quiet spell of the heartbeat interval is reported, so
 * a stream can say it is alive.
 */
@Component
public class TaskFollowing {
    private static final int BATCH = 500;

    /** What a follower hears. */
    public interface Listener {
        void event(TaskEvent event) throws IOException;

        /** Nothing happened for a heartbeat interval. */
        void quiet() throws IOException;
    }

    private final EventLog events;
    private final TaskRepository tasks;
    private final Duration pollInterval;
    private final Duration heartbeat;

    public TaskFollowing(EventLog events, TaskRepository tasks,
                         @Value("${grandpa.api.event-poll-interval:250ms}") Duration pollInterval,
                         @Value("${grandpa.api.event-heartbeat:15s}") Duration heartbeat) {
        this.events = events;
        this.tasks = tasks;
        this.pollInterval = pollInterval;
        this.heartbeat = heartbeat;
    }

    /**
     * @param endAt the statuses at which following ends, once every event before them was heard
     * @param limit the longest it follows
     * @param stop  asked between reads: true ends it
     * @return the task as it ended, or empty when the limit or {@code stop} ended it first
     */
    public Optional<Task> follow(UUID id, long afterId, Set<TaskStatus> endAt, Duration limit, BooleanSupplier stop,
                                 Listener listener) throws IOException, InterruptedException {
        long last = afterId;
        long deadline = System.nanoTime() + limit.toNanos();
        long quietSince = System.nanoTime();
        while (!stop.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Optional<Task> task = tasks.find(id);
            var batch = events.after(id, last, BATCH);
            for (TaskEvent e : batch) {
                listener.event(e);
                last = e.id();
            }
            if (batch.isEmpty() && task.map(t -> endAt.contains(t.status())).orElse(true)) {
                return task;
            }
            if (!batch.isEmpty()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= heartbeat.toNanos()) {
                listener.quiet();
                quietSince = System.nanoTime();
            }
            if (batch.size() < BATCH) {
                Thread.sleep(pollInterval);
            }
        }
        return Optional.empty();
    }
}
