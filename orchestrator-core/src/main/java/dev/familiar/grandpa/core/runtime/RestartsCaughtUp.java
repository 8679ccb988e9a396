package dev.familiar.grandpa.core.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether grandpa's sessions have caught up with the model server's latest restart. The supervisor says
 * READY before its listeners run; a call made in between would miss the session's restored slot (a full
 * evaluation of the whole history). Until the restart is handled (the sessions told to restore their
 * checkpoints), the model counts as not ready yet, and the waiting tasks are woken once it is.
 */
final class RestartsCaughtUp {
    private final AtomicInteger handled = new AtomicInteger();

    public boolean with(int restarts) {
        return handled.get() >= restarts;
    }

    public void handled(int restarts) {
        handled.accumulateAndGet(restarts, Math::max);
    }
}
