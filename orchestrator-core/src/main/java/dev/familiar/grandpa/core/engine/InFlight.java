package dev.familiar.grandpa.core.engine;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the instance that holds a task is doing for it right now, and what it learnt that is not
 * stored: the part of a task's state that lives in memory.
 *
 * @param subtasks   subtasks with an attempt or a judgement under way (routing included)
 * @param unroutable subtasks no backend is left for, with why
 * @param waiting    why the task is waiting for something outside grandpa (the model), or null
 * @param failures   steps that failed one after another without a stored reason (a bug, the database)
 */
public record InFlight(boolean planning, boolean integrating, Set<UUID> subtasks, Map<UUID, String> unroutable,
                       String waiting, int failures, String lastFailure) {

    public InFlight {
        subtasks = Set.copyOf(subtasks);
        unroutable = Map.copyOf(unroutable);
    }

    public static final InFlight NOTHING = new InFlight(false, false, Set.of(), Map.of(), null, 0, null);

    public boolean anything() {
        return planning || integrating || !subtasks.isEmpty();
    }
}
