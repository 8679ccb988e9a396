package dev.familiar.grandpa.core.attempt;

import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.delegation.backend.OutputSink;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.plan.Subtask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a coder's answer into the task's event stream while it is produced: pieces are gathered and
 * stored as {@code attempt.output} events at most twice a second (or every 4,000 characters), so a
 * person following {@code /api/tasks/{id}/events} sees the work without an insert per token. When a
 * transient error cuts the answer off and the call is made again, an {@code attempt.output.restart}
 * event says the pieces so far are void; each piece carries the number of the try it belongs to.
 */
final class OutputRelay implements OutputSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputRelay.class);
    private static final long FLUSH_NANOS = 500_000_000L;
    private static final int FLUSH_CHARS = 4000;

    private final AttemptLedger ledger;
    private final Attempt attempt;
    private final Subtask subtask;
    private final StringBuilder pending = new StringBuilder();
    private long lastFlush = System.nanoTime();
    private int offset;
    private int tryNumber = 1;

    OutputRelay(AttemptLedger ledger, Attempt attempt, Subtask subtask) {
        this.ledger = ledger;
        this.attempt = attempt;
        this.subtask = subtask;
    }

    @Override
    public synchronized void accept(String piece) {
        pending.append(piece);
        if (pending.length() >= FLUSH_CHARS || System.nanoTime() - lastFlush >= FLUSH_NANOS) {
            flush();
        }
    }

    @Override
    public synchronized void restart(int tryNumber) {
        pending.setLength(0);
        offset = 0;
        this.tryNumber = tryNumber;
        try {
            ledger.outputRestarted(attempt, subtask, tryNumber);
        } catch (RuntimeException e) {
            log.warn("Could not store the restart of attempt {}: {}", attempt.id(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        flush();
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            ledger.output(attempt, subtask, tryNumber, offset, pending.toString());
            offset += pending.length();
            pending.setLength(0);
            lastFlush = System.nanoTime();
        } catch (RuntimeException e) {
            // the answer itself is stored with the attempt; a lost progress event must not fail the call
            log.warn("Could not store output of attempt {}: {}", attempt.id(), e.getMessage());
        }
    }
}
