package dev.familiar.grandpa.core.ledger;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Rung when a task needs work now (a submission, a resume, waiting tasks woken): the worker, which waits
 * on it between its looks for due tasks, looks at once. The ledger rings it and knows nothing of who waits.
 */
public final class WorkDue {
    private final Semaphore bell = new Semaphore(0);

    public void ring() {
        if (bell.availablePermits() == 0) {
            bell.release();
        }
    }

    /** Waits until it is rung or {@code atMost} has passed. */
    public void await(Duration atMost) throws InterruptedException {
        if (bell.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            bell.drainPermits(); // rings while it was not waited on are one ring
        }
    }
}
