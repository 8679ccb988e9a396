package dev.familiar.grandpa.core.engine;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What to do next for a task, as {@link NextStep} decides it, down to the status it moves to and until when
 * it waits: the executor carries a step out and decides nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind") // as recorded decisions store it
public sealed interface Step {

    /** A change of the task's status to store (with its reason, null for none); null where it stays as it is. */
    record Move(TaskStatus to, String reason) {}

    /** The task no longer needs work (done, blocked or cancelled): stop what runs for it. */
    record Stop() implements Step {}

    /** Nothing to start now; the work in flight brings the task back when it ends. */
    record Idle() implements Step {}

    /**
     * Something outside grandpa is missing: the task waits (WAITING, with the reason; {@code move} null when
     * it waits for this reason already) and is looked at again at {@code until}.
     */
    record Wait(String reason, Instant until, Move move) implements Step {}

    /** Ask grandpa for a plan version: the first ({@code cause} null) or a re-plan of the remaining work. */
    record Plan(int version, String cause, Move move) implements Step {}

    /** Start work on these subtasks, each independently of the others. */
    record Advance(List<Action> actions, Move move) implements Step {
        public Advance {
            actions = List.copyOf(actions);
        }
    }

    /** Every subtask is accepted: put the result together. */
    record Integrate(Move move) implements Step {}

    /** Recovery is exhausted: park the task for a person, with a reason they can act on. */
    record Block(UUID subtaskId, String reason) implements Step {}

    /** Work on one subtask. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
    sealed interface Action {
        Subtask subtask();
    }

    /**
     * Judge the subtask's last output, which has no verdict yet, with the checks its change went through:
     * by rule where {@code ruled} is its verdict already (an unusable answer, a failed check), else by a
     * model (the first judge where one is configured and sure, else grandpa).
     */
    record Judge(Subtask subtask, Attempt attempt, List<StoredCheck> checks, Judgement ruled) implements Action {
        public Judge {
            checks = List.copyOf(checks);
        }
    }

    /** Call a coder for the subtask, as the recovery ladder says. */
    record Call(Subtask subtask, RecoveryLadder.Call call) implements Action {}
}
