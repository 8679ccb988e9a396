package dev.familiar.grandpa.core.engine;

import java.time.Duration;

/** How long a task's failed step waits before it is taken again: doubling from a second, at most a minute. */
public final class Backoff {
    private static final Duration LONGEST = Duration.ofMinutes(1);

    private Backoff() {
    }

    /** @param failures failed steps in a row, this one included */
    public static Duration after(int failures) {
        long millis = 500L << Math.min(Math.max(failures, 1), 7);
        return Duration.ofMillis(Math.min(millis, LONGEST.toMillis()));
    }
}
