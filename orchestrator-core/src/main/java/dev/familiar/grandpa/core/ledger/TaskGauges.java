package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.task.TaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;

/**
 * How many tasks are in each status now ({@code grandpa.tasks.current}), from the database, so every
 * instance on it reports the same; counted once for all statuses and kept a few seconds.
 */
final class TaskGauges implements MeterBinder {
    private static final long KEEP_NANOS = 5_000_000_000L;

    private final TaskRepository tasks;
    private Map<TaskStatus, Long> counts = Map.of();
    private long countedAt;

    public TaskGauges(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TaskStatus status : TaskStatus.values()) {
            Gauge.builder("grandpa.tasks.current", this, g -> g.count(status))
                    .description("tasks in this status now").tag("status", status.name()).register(registry);
        }
    }

    private synchronized double count(TaskStatus status) {
        if (countedAt == 0 || System.nanoTime() - countedAt > KEEP_NANOS) {
            counts = tasks.countByStatus();
            countedAt = System.nanoTime();
        }
        return counts.getOrDefault(status, 0L);
    }
}
