package dev.familiar.grandpa.delegation.backend;

/**
 * A backend's answer; {@code finishReason} "length" means it was cut off.
 *
 * @param retries calls made again after a transient error before this answer came
 */
public record CoderReply(String text, String finishReason, Integer promptTokens, Integer completionTokens,
                         long durationMs, int retries) {

    public CoderReply(String text, String finishReason, Integer promptTokens, Integer completionTokens, long durationMs) {
        this(text, finishReason, promptTokens, completionTokens, durationMs, 0);
    }

    public boolean truncated() {
        return "length".equalsIgnoreCase(finishReason);
    }

    CoderReply withRetries(int retries, long durationMs) {
        return new CoderReply(text, finishReason, promptTokens, completionTokens, durationMs, retries);
    }
}
