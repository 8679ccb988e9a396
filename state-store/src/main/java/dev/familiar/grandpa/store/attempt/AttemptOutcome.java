package dev.familiar.grandpa.store.attempt;

/**
 * What came back from a backend call: an output, or a classified error; in a repository, also the
 * change it made ({@code patch}, on {@code startCommit}).
 */
public record AttemptOutcome(
        AttemptStatus status,
        String output,
        String finishReason,
        Integer promptTokens,
        Integer completionTokens,
        String errorKind,
        String error,
        long durationMs,
        int transportRetries,
        String startCommit,
        String patch) {

    /** The same outcome with the change the attempt made in its worktree. */
    public AttemptOutcome withChange(String startCommit, String patch) {
        return new AttemptOutcome(status, output, finishReason, promptTokens, completionTokens, errorKind, error, durationMs,
                transportRetries, startCommit, patch);
    }

    public static AttemptOutcome succeeded(String output, String finishReason, Integer promptTokens,
                                           Integer completionTokens, long durationMs, int transportRetries) {
        return new AttemptOutcome(AttemptStatus.SUCCEEDED, output, finishReason, promptTokens, completionTokens,
                null, null, durationMs, transportRetries, null, null);
    }

    /** The call was cut off by grandpa itself (the task was cancelled, the service stopped); it says nothing of the backend. */
    public static AttemptOutcome interrupted(String why, long durationMs) {
        return new AttemptOutcome(AttemptStatus.INTERRUPTED, null, null, null, null, "INTERRUPTED", why, durationMs, 0, null, null);
    }

    public static AttemptOutcome failed(String errorKind, String error, long durationMs) {
        return new AttemptOutcome(AttemptStatus.FAILED, null, null, null, null, errorKind, error, durationMs, 0, null, null);
    }
}
