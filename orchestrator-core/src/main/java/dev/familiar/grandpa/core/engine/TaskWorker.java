package dev.familiar.grandpa.core.engine;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The db-scheduler task that works grandpa tasks: one execution per task, claimed by one service
 * instance at a time, kept alive by heartbeats and taken over by another instance when its owner
 * dies. The task's own state lives in grandpa's tables; this only says who works it and when.
 */
public final class TaskWorker {
    private TaskWorker() {}

    public static CustomTask<Void> definition(TaskEngine engine, TaskRepository tasks) {
        return Tasks.custom(TaskLedger.WORKER_TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(5), 2.0))
                .execute((instance, context) -> {
                    UUID id = UUID.fromString(instance.getId());
                    Optional<Instant> again = engine.advance(id);
                    return (CompletionHandler<Void>) (complete, operations) -> {
                        // Decided after the work, from the database: a resume that came in meanwhile
                        // finds the execution still present and relies on this to be picked up again.
                        boolean workable = tasks.find(id).map(t -> TaskStatus.WORKABLE.contains(t.status())).orElse(false);
                        if (workable) {
                            operations.reschedule(complete, again.orElse(Instant.now().plusSeconds(1)));
                        } else {
                            operations.remove();
                        }
                    };
                });
    }
}
