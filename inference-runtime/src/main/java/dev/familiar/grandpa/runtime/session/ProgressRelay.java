package dev.familiar.grandpa.runtime.session;

import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one call's streamed pieces into {@link ModelProgress} reports, at most one per interval, so a
 * person watching sees the answer grow without a stored event per token. The reports carry the end of
 * the text so far, not all of it: the answer itself is stored when it is whole.
 */
final class ProgressRelay implements Consumer<String> {
    private static final Logger log = LoggerFactory.getLogger(ProgressRelay.class);
    static final int TAIL = 160;

    private final UUID taskId;
    private final Purpose purpose;
    private final Consumer<ModelProgress> listener;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final StringBuilder tail = new StringBuilder();
    private long lastReport = start;
    private int tokens;
    private int chars;

    ProgressRelay(UUID taskId, Purpose purpose, Consumer<ModelProgress> listener, long intervalNanos) {
        this.taskId = taskId;
        this.purpose = purpose;
        this.listener = listener;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public synchronized void accept(String piece) {
        tokens++;
        chars += piece.length();
        tail.append(piece);
        if (tail.length() > 2 * TAIL) {
            tail.delete(0, tail.length() - TAIL);
        }
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            String end = tail.length() <= TAIL ? tail.toString() : tail.substring(tail.length() - TAIL);
            try {
                listener.accept(new ModelProgress(taskId, purpose, tokens, chars, (now - start) / 1_000_000, end));
            } catch (RuntimeException e) {
                // a lost progress report must not cut the answer off
                log.warn("Could not report the progress of a {} call: {}", purpose, e.getMessage());
            }
        }
    }
}
