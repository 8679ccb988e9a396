package dev.familiar.grandpa.core.api;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
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
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.core.events.EventLines;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What the API shows of a task: its own types, read from the store, so the stored records can change
 * without changing the JSON clients read.
 */
@Component
class TaskViews {
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

    public record SubtaskView(UUID id, UUID taskId, int planVersion, String key, String title, String instructions,
                              String kind, String capability, List<String> dependsOn, List<String> acceptanceCriteria,
                              String status, String output, String check, String commit, String needs) {
        static SubtaskView of(Subtask s) {
            return new SubtaskView(s.id(), s.taskId(), s.planVersion(), s.key(), s.title(), s.instructions(), s.kind(),
                    s.capability(), s.dependsOn(), s.acceptanceCriteria(), s.status().name(), s.output(), s.checkName(),
                    s.commit(), s.needs());
        }
    }

    public record AttemptView(long id, UUID taskId, UUID subtaskId, int number, String backend, String routingReason,
                              String feedback, String status, String errorKind, String error, String output,
                              String finishReason, Integer promptTokens, Integer completionTokens, Instant startedAt,
                              Instant finishedAt, Long durationMs, int transportRetries, String startCommit,
                              String patch) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.id(), a.taskId(), a.subtaskId(), a.number(), a.backend(), a.routingReason(),
                    a.feedback(), a.status().name(), a.errorKind(), a.error(), a.output(), a.finishReason(),
                    a.promptTokens(), a.completionTokens(), a.startedAt(), a.finishedAt(), a.durationMs(),
                    a.transportRetries(), a.startCommit(), a.patch());
        }
    }

    /** A check of an attempt's change ({@code attemptId}), or of the task's branch ({@code commit}). */
    public record CheckView(long id, Long attemptId, String name, String command, String commit, Integer exitCode,
                            long durationMs, boolean timedOut, boolean passed, String outputTail, Instant createdAt) {
        static CheckView of(StoredCheck c) {
            return new CheckView(c.id(), c.attemptId(), c.name(), c.command(), c.commit(), c.exitCode(), c.durationMs(),
                    c.timedOut(), c.passed(), c.outputTail(), c.createdAt());
        }
    }

    /** The task's branch: where it started, where it is, what changed (null when the mirror cannot say now). */
    public record WorkspaceView(String repository, String branch, String baseCommit, String headCommit, String diffstat,
                                Instant pushedAt, String pullRequestUrl) {}

    public record EvaluationView(long id, UUID taskId, UUID subtaskId, long attemptId, String verdict, Double score,
                                 String feedback, List<String> checks, String judgedBy, Instant createdAt) {
        static EvaluationView of(Evaluation e) {
            return new EvaluationView(e.id(), e.taskId(), e.subtaskId(), e.attemptId(), e.verdict().name(), e.score(),
                    e.feedback(), e.checks(), e.judgedBy().stored(), e.createdAt());
        }
    }

    public record RecoveryView(long id, UUID taskId, UUID subtaskId, String rung, String reason, Instant createdAt) {
        static RecoveryView of(RecoveryAction r) {
            return new RecoveryView(r.id(), r.taskId(), r.subtaskId(), r.rung().name(), r.reason(), r.createdAt());
        }
    }

    /**
     * A context pack: the task's (subtaskId null) or a subtask's, with what it left out and why.
     *
     * @param countedBy how its tokens were counted (the model's tokenizer, or the estimate and why)
     */
    public record ContextPackView(UUID subtaskId, String query, List<ContextItemView> items, List<CutView> cuts,
                                  List<String> problems, String countedBy, int budget, String rendered, int tokens,
                                  Instant createdAt) {
        public record ContextItemView(String source, int rank, String reference, String text, Double score,
                                      Integer tokens) {}

        public record CutView(String source, String reference, String reason, String detail) {}

        static ContextPackView of(StoredContextPack p) {
            return new ContextPackView(p.subtaskId(), p.query(), p.items().stream()
                    .map(i -> new ContextItemView(i.source(), i.rank(), i.reference(), i.text(), i.score(), i.tokens()))
                    .toList(), p.cuts().stream().map(c -> new CutView(c.source(), c.reference(), c.reason(), c.detail()))
                    .toList(), p.problems(), p.countedBy(), p.budget(), p.rendered(), p.tokens(), p.createdAt());
        }
    }

    /** One event as the API and the event stream show it. */
    /** A stored event, with the line a person reads for it ({@link EventLines}; null when it says nothing). */
    public record EventView(long id, UUID taskId, String type, Map<String, Object> data, String line, Instant createdAt) {
        static EventView of(TaskEvent e) {
            return new EventView(e.id(), e.taskId(), e.type(), e.data(), EventLines.line(e, true), e.createdAt());
        }
    }

    public record TaskDetail(UUID id, String title, String goal, String repo, List<String> labels, int priority,
                             String acceptanceCommand, String status, String statusReason, int planVersion,
                             String result, Instant createdAt, Instant updatedAt, ContextPackView contextPack,
                             List<ContextPackView> subtaskContext, List<PlanView> plans, List<SubtaskView> subtasks, List<AttemptView> attempts,
                             List<EvaluationView> evaluations, List<RecoveryView> recoveries, List<EventView> events,
                             WorkspaceView workspace, List<CheckView> checks) {}

    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final RecoveryRepository recoveries;
    private final EventLog events;
    private final ContextPackRepository contextPacks;
    private final CheckRepository checks;
    private final TaskBranches branches;

    public TaskViews(PlanRepository plans, AttemptRepository attempts, RecoveryRepository recoveries, EventLog events,
                     ContextPackRepository contextPacks, CheckRepository checks, TaskBranches branches) {
        this.contextPacks = contextPacks;
        this.checks = checks;
        this.branches = branches;
        this.plans = plans;
        this.attempts = attempts;
        this.recoveries = recoveries;
        this.events = events;
    }

    public TaskDetail detail(Task t) {
        return new TaskDetail(t.id(), t.title(), t.goal(), t.repo(), t.labels(), t.priority(), t.acceptanceCommand(),
                t.status().name(), t.statusReason(), t.planVersion(), t.result(), t.createdAt(), t.updatedAt(),
                contextPacks.find(t.id()).map(ContextPackView::of).orElse(null),
                contextPacks.subtaskPacks(t.id()).stream().map(ContextPackView::of).toList(),
                plans.plans(t.id()).stream().map(PlanView::of).toList(),
                plans.subtasks(t.id()).stream().map(SubtaskView::of).toList(),
                attempts.ofTask(t.id()).stream().map(AttemptView::of).toList(),
                attempts.evaluationsOfTask(t.id()).stream().map(EvaluationView::of).toList(),
                recoveries.ofTask(t.id()).stream().map(RecoveryView::of).toList(),
                events.after(t.id(), 0, EVENT_LIMIT).stream().map(EventView::of).toList(),
                branches.find(t.id()).map(this::workspace).orElse(null),
                checks.ofTask(t.id()).stream().map(CheckView::of).toList());
    }

    private WorkspaceView workspace(TaskWorkspace ws) {
        String diffstat;
        try {
            diffstat = branches.diffstat(ws);
        } catch (RuntimeException e) {
            diffstat = null; // the mirror is being rebuilt, or the repository left the configuration
        }
        return new WorkspaceView(ws.repository(), ws.branch(), ws.baseCommit(), ws.headCommit(), diffstat, ws.pushedAt(),
                ws.pullRequestUrl());
    }
}
