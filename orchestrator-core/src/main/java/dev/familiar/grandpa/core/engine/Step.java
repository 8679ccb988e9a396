package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import java.util.List;
import java.util.UUID;

/** What to do next for a task, as {@link NextStep} decides it. */
public sealed interface Step {

    /** The task no longer needs work (done, blocked or cancelled): stop what runs for it. */
    record Stop() implements Step {}

    /** Nothing to start now; the work in flight brings the task back when it ends. */
    record Idle() implements Step {}

    /** Something outside grandpa is missing: the task waits (WAITING, with the reason) and tries again later. */
    record Wait(String reason) implements Step {}

    /** Ask grandpa for a plan version: the first ({@code cause} null) or a re-plan of the remaining work. */
    record Plan(int version, String cause) implements Step {}

    /** Start work on these subtasks, each independently of the others. */
    record Advance(List<Action> actions) implements Step {
        public Advance {
            actions = List.copyOf(actions);
        }
    }

    /** Every subtask is accepted: put the result together. */
    record Integrate() implements Step {}

    /** Recovery is exhausted: park the task for a person, with a reason they can act on. */
    record Block(UUID subtaskId, String reason) implements Step {}

    /** Work on one subtask. */
    sealed interface Action {
        Subtask subtask();
    }

    /** Judge the subtask's last output, which has no verdict yet, with the checks its change went through. */
    record Judge(Subtask subtask, Attempt attempt, List<StoredCheck> checks) implements Action {
        public Judge {
            checks = List.copyOf(checks);
        }
    }

    /** Call a coder for the subtask, as the recovery ladder says. */
    record Call(Subtask subtask, RecoveryLadder.Call call) implements Action {}
}
