package dev.familiar.grandpa.delegation.backend;

/** A backend's answer; {@code finishReason} "length" means it was cut off. */
public record CoderReply(String text, String finishReason, Integer promptTokens, Integer completionTokens, long durationMs) {

    public boolean truncated() {
        return "length".equalsIgnoreCase(finishReason);
    }
}
