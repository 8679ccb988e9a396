package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Now and then a routing goes to the backend chosen least recently instead of the best one, so a
 * backend that recovered gets traffic again: every {@code every}-th decision for a capability, the
 * next routing whose slack covers the detour goes to the stalest candidate, if that was chosen at
 * least {@code afterMillis} ago. A busy service does not keep paying for calls to a backend it knows
 * to be poor, nor delay a task's critical path to try one.
 */
final class Exploration {
    record Choice(CoderBackend backend, boolean exploring) {}

    private final int every;
    private final long afterMillis;
    private final Map<String, Long> decisions = new HashMap<>();
    /** Capabilities whose turn to explore has come and waits for a routing with the slack for it. */
    private final Set<String> due = new HashSet<>();
    /** capability/backend → when it was last chosen. */
    private final Map<String, Long> lastChosen = new HashMap<>();

    Exploration(int every, long afterMillis) {
        this.every = every;
        this.afterMillis = afterMillis;
    }

    Choice choose(String capability, CoderBackend best, List<CoderBackend> candidates, Planned planned, SlotBook book,
                  long now) {
        if (every > 0 && decisions.merge(capability, 1L, Long::sum) % every == 0) {
            due.add(capability);
        }
        CoderBackend stalest = candidates.stream()
                .min(Comparator.comparingLong(b -> lastChosen.getOrDefault(key(capability, b), Long.MIN_VALUE)))
                .orElse(best);
        Long stalestAt = lastChosen.get(key(capability, stalest));
        // Exploring costs a call on a backend thought worse: only with a routing whose slack covers it.
        boolean explore = due.contains(capability) && stalest != best
                && (stalestAt == null || now - stalestAt >= afterMillis)
                && planned.allowsEndAt(now + (long) (book.waitMs(stalest) + book.serviceMs(stalest)));
        if (explore) {
            due.remove(capability);
        }
        CoderBackend chosen = explore ? stalest : best;
        lastChosen.put(key(capability, chosen), now);
        return new Choice(chosen, explore);
    }

    private static String key(String capability, CoderBackend b) {
        return capability + "/" + b.name();
    }
}
