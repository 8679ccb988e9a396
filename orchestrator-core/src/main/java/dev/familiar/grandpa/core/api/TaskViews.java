package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.context.StoredContextPack;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.PlanVersion;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.recovery.RecoveryAction;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.task.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What the API shows of a task, read from the store. */
@Component
public class TaskViews {
    private static final int EVENT_LIMIT = 10_000;

    public record TaskSummary(UUID id, String title, String status, String statusReason, int priority,
                              List<String> labels, int planVersion, Instant createdAt, Instant updatedAt) {
        static TaskSummary of(Task t) {
            return new TaskSummary(t.id(), t.title(), t.status().name(), t.statusReason(), t.priority(), t.labels(),
                    t.planVersion(), t.createdAt(), t.updatedAt());
        }
    }

    public record PlanView(int version, String reason, Map<String, Object> plan, Instant createdAt) {
        static PlanView of(PlanVersion p) {
            return new PlanView(p.version(), p.reason(), JsonColumns.map(p.body()), p.createdAt());
        }
    }

    public record TaskDetail(UUID id, String title, String goal, String repo, List<String> labels, int priority,
                             String acceptanceCommand, String status, String statusReason, int planVersion,
                             String result, Instant createdAt, Instant updatedAt, StoredContextPack contextPack,
                             List<PlanView> plans, List<Subtask> subtasks, List<Attempt> attempts, List<Evaluation> evaluations,
                             List<RecoveryAction> recoveries, List<TaskEvent> events) {}

    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final EventLog events;
    private final ContextPackRepository contextPacks;

    public TaskViews(PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries, EventLog events,
                     ContextPackRepository contextPacks) {
        this.contextPacks = contextPacks;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.events = events;
    }

    public TaskDetail detail(Task t) {
        return new TaskDetail(t.id(), t.title(), t.goal(), t.repo(), t.labels(), t.priority(), t.acceptanceCommand(),
                t.status().name(), t.statusReason(), t.planVersion(), t.result(), t.createdAt(), t.updatedAt(),
                contextPacks.find(t.id()).orElse(null),
                plans.plans(t.id()).stream().map(PlanView::of).toList(),
                plans.subtasks(t.id()),
                attempts.ofTask(t.id()),
                attempts.evaluationsOfTask(t.id()),
                recoveries.ofTask(t.id()),
                events.after(t.id(), 0, EVENT_LIMIT));
    }
}
