package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides the next step of a task from its state alone, so an instance that takes the task over after
 * a crash decides as the one that held it would have. In order: a task that no longer needs work
 * stops; one whose model or backends are missing waits; one without a plan is planned; every ready
 * subtask (its dependencies accepted) gets its next action (judge the output that has no verdict, or
 * call a coder as the {@link RecoveryLadder} says), except a call whose capability's backends are all
 * away for now, which waits (the task WAITING, with why) until one is back; a subtask no backend is
 * left for stops new work from starting, and once the running work ends the task is re-planned, or
 * blocked when its re-plans are used up; when every subtask is accepted the result is integrated, unless the acceptance check
 * failed on the whole change, which is re-planned (or blocked) the same way. Each step says the status the
 * task moves to, a wait until when, and a judgement whether a rule decides it; nothing but the state and
 * the time it is given goes in.
 */
public final class NextStep {
    /**
     * What the decisions follow, from the configuration; a replayed history is decided under the rules it
     * was recorded with.
     *
     * @param retriesWithFeedback retries on the same backend after a "revise" ({@link RecoveryLadder})
     * @param replans             re-plans allowed since the task was last resumed
     * @param maxFailures         failed steps in a row after which the task is blocked rather than tried again
     * @param waitFor             how long a waiting task waits before it is looked at again
     */
    public record Rules(int retriesWithFeedback, int replans, int maxFailures, Duration waitFor) {}

    private final Rules rules;
    private final RecoveryLadder ladder;
    private final int replans;
    private final int maxFailures;
    private final Duration waitFor;

    public NextStep(Rules rules) {
        this.rules = rules;
        this.ladder = new RecoveryLadder(rules.retriesWithFeedback());
        this.replans = rules.replans();
        this.maxFailures = rules.maxFailures();
        this.waitFor = rules.waitFor();
    }

    public Rules rules() {
        return rules;
    }

    public Step decide(TaskState state, Instant now) {
        Task task = state.task();
        InFlight busy = state.inFlight();
        if (!TaskStatus.WORKABLE.contains(task.status())) {
            return new Step.Stop();
        }
        if (busy.failures() >= maxFailures && !busy.anything()) {
            return new Step.Block(null, "the same step failed " + busy.failures() + " times: " + busy.lastFailure());
        }
        if (busy.waiting() != null) { // start nothing new; once the running work ends, wait
            return busy.anything() ? new Step.Idle() : waiting(task, busy.waiting(), now);
        }
        if (!state.backendsConfigured()) {
            return waiting(task, "no coder backends are configured (grandpa.backends)", now);
        }
        if (busy.planning() || busy.integrating()) {
            return new Step.Idle();
        }
        if (task.planVersion() == 0) {
            return new Step.Plan(1, null, move(task, TaskStatus.PLANNING));
        }
        Set<String> accepted = new HashSet<>();
        state.live().stream().filter(s -> s.status() == SubtaskStatus.ACCEPTED).forEach(s -> accepted.add(s.key()));
        if (accepted.size() == state.live().size()) {
            if (!busy.subtasks().isEmpty()) {
                return new Step.Idle();
            }
            return state.acceptanceFailure() == null ? new Step.Integrate(move(task, TaskStatus.INTEGRATING))
                    : replan(state, null, "the acceptance check failed on the whole change: " + state.acceptanceFailure());
        }
        Map<Subtask, String> exhausted = new LinkedHashMap<>();
        List<Step.Action> actions = new ArrayList<>();
        List<String> waitingFor = new ArrayList<>();
        for (Subtask subtask : state.live()) {
            if (subtask.status() != SubtaskStatus.PENDING || busy.subtasks().contains(subtask.id())) {
                continue;
            }
            String unroutable = busy.unroutable().get(subtask.id());
            if (unroutable != null) {
                exhausted.put(subtask, unroutable);
            } else if (accepted.containsAll(subtask.dependsOn())) {
                int before = actions.size();
                action(subtask, state.history().getOrDefault(subtask.id(), List.of()), state, actions);
                if (actions.size() > before && actions.getLast() instanceof Step.Call
                        && state.unavailable().containsKey(subtask.capability())) {
                    actions.removeLast(); // its backends are away: it waits for one, spending nothing
                    waitingFor.add(waitsForBackend(subtask, state.unavailable().get(subtask.capability())));
                }
            }
        }
        if (!exhausted.isEmpty()) {
            return busy.subtasks().isEmpty() ? recover(state, exhausted) : new Step.Idle(); // the running ones end first
        }
        if (!actions.isEmpty()) {
            return new Step.Advance(actions, move(task, TaskStatus.RUNNING));
        }
        if (!waitingFor.isEmpty()) {
            return busy.subtasks().isEmpty() ? waiting(task, String.join("; ", waitingFor), now) : new Step.Idle();
        }
        return busy.subtasks().isEmpty()
                ? new Step.Block(null, "no pending subtask can start: their dependencies are not accepted")
                : new Step.Idle();
    }

    private void action(Subtask subtask, List<Attempt> history, TaskState state, List<Step.Action> actions) {
        Map<Long, Evaluation> evaluations = state.evaluations();
        Attempt last = history.isEmpty() ? null : history.getLast();
        if (last != null && last.status() == AttemptStatus.SUCCEEDED) {
            Evaluation evaluation = evaluations.get(last.id());
            if (evaluation == null) {
                List<StoredCheck> checks = state.checks().getOrDefault(last.id(), List.of());
                actions.add(new Step.Judge(subtask, last, checks, state.task().repo() == null
                        ? Evaluator.byStructure(last.output(), "length".equals(last.finishReason()))
                        : Evaluator.byChecks(checks)));
                return;
            }
            if (evaluation.verdict() == Verdict.PASS) {
                return; // accepted in the same transaction; a superseded subtask is not pending
            }
        }
        actions.add(new Step.Call(subtask, ladder.next(history, evaluations)));
    }

    /** Re-plans the remaining work after exhausted subtasks, or blocks the task when re-plans are used up. */
    private Step recover(TaskState state, Map<Subtask, String> exhausted) {
        String cause = String.join("; ", exhausted.entrySet().stream()
                .map(e -> "subtask " + e.getKey().key() + ": " + e.getValue()).toList());
        return replan(state, exhausted.keySet().iterator().next().id(), cause);
    }

    private Step replan(TaskState state, UUID subtaskId, String cause) {
        if (state.replansSinceResume() >= replans) {
            return new Step.Block(subtaskId, "recovery exhausted after " + replans + " re-plan(s): " + cause);
        }
        return new Step.Plan(state.task().planVersion() + 1, cause, move(state.task(), TaskStatus.RUNNING));
    }

    /** Why a subtask waits: every backend of its capability is away for now. */
    public static String waitsForBackend(Subtask subtask, String away) {
        return "subtask " + subtask.key() + " waits for a backend with capability " + subtask.capability() + ": " + away;
    }

    private Step.Wait waiting(Task task, String reason, Instant now) {
        boolean already = task.status() == TaskStatus.WAITING && reason.equals(task.statusReason());
        return new Step.Wait(reason, now.plus(waitFor), already ? null : new Step.Move(TaskStatus.WAITING, reason));
    }

    /** The move to {@code to}, or null when the task is there already. */
    private static Step.Move move(Task task, TaskStatus to) {
        return task.status() == to ? null : new Step.Move(to, null);
    }
}
