package dev.familiar.grandpa.core.work;

import dev.familiar.grandpa.core.engine.NextStep;
import dev.familiar.grandpa.core.engine.Step;
import dev.familiar.grandpa.core.engine.TaskState;
import dev.familiar.grandpa.core.ledger.TaskLedger;
import dev.familiar.grandpa.delegation.routing.Planned;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.RoutingRequest;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Starts work on a task's subtasks: lines a new plan version's subtasks up at the router as its
 * schedule planned them, and starts each action {@link dev.familiar.grandpa.core.engine.NextStep}
 * chose: a judgement, or a coder call once routing leases it a slot.
 */
final class Dispatch {
    private final Router router;
    private final Jobs jobs;
    private final TaskLedger ledger;
    private final Clock clock;

    Dispatch(Router router, Jobs jobs, TaskLedger ledger, Clock clock) {
        this.router = router;
        this.jobs = jobs;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Plans the schedule of a plan version new to this instance and puts every pending subtask in line
     * at its planned place: one whose dependencies run holds its slot against those planned after it.
     */
    void schedule(HeldTask work, TaskState state) {
        Task task = state.task();
        if (work.scheduled(task.planVersion())) {
            return;
        }
        var pending = state.live().stream().filter(s -> s.status() == SubtaskStatus.PENDING).toList();
        if (pending.isEmpty() || pending.size() > SchedulePlanner.MAX_JOBS) {
            work.schedule(task.planVersion(), Map.of()); // too many to plan: each goes where it ends soonest
            return;
        }
        var scheduled = router.schedule(pending.stream()
                .map(s -> new SchedulePlanner.Job(s.key(), s.capability(), Set.copyOf(s.dependsOn()))).toList());
        ledger.scheduled(task.id(), task.planVersion(), scheduled);
        work.schedule(task.planVersion(), scheduled.planned());
        for (Subtask s : pending) {
            Planned planned = scheduled.planned().get(s.key());
            if (planned != null && !state.inFlight().subtasks().contains(s.id())) {
                work.holdInLine(s.key(), router.request(new RoutingRequest(s.capability(), Set.of(), null, planned), false));
            }
        }
    }

    /** Starts the action's work; done when it is over, failed with what went wrong. */
    CompletableFuture<Void> start(HeldTask work, TaskState state, Step.Action action) {
        Subtask subtask = action.subtask();
        work.started(subtask.id());
        CompletableFuture<Void> job = switch (action) {
            case Step.Judge j -> jobs.judge(work, state.task(), j);
            case Step.Call c -> call(work, state, subtask, c);
        };
        return job.whenComplete((done, error) -> work.ended(subtask.id()));
    }

    private CompletableFuture<Void> call(HeldTask work, TaskState state, Subtask subtask, Step.Call action) {
        var call = action.call();
        Router.Ticket ticket = work.takeTicket(subtask.key());
        if (ticket == null || !call.routedFreely()) {
            if (ticket != null) {
                ticket.cancel(); // its place was for a first call routing may choose freely
            }
            Planned planned = work.planned(subtask.key());
            ticket = router.request(new RoutingRequest(subtask.capability(), call.exclude(), call.pinned(),
                    planned != null ? planned : Planned.unscheduled(clock.millis()), call.avoid()), true);
        }
        CompletableFuture<Void> over = ticket.lease().handle((lease, cancelled) -> {
            if (cancelled == null && lease.isPresent()) {
                return jobs.call(work, state.task(), subtask, state.live(), call, lease.get());
            }
            String away = cancelled == null ? StateReader.unavailable(router.backends()).get(subtask.capability()) : null;
            if (away != null) { // they went away after the decision: the subtask waits, as it would have
                work.waiting(NextStep.waitsForBackend(subtask, away));
            } else if (cancelled == null) {
                work.unroutable(subtask.id(), call.unroutable(subtask.capability()));
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(job -> job);
        ticket.ready();
        return over;
    }
}
