package dev.familiar.grandpa.runtime.client;

import tools.jackson.databind.JsonNode;

/**
 * llama-server's {@code timings} for one request: how many prompt tokens came from the slot's cache
 * ({@code cache_n}), how many were evaluated and how long that took, and the same for the answer.
 */
public record LlamaTimings(int cacheN, int promptN, double promptMs, int predictedN, double predictedMs) {

    /** Read from a response or last stream chunk that has {@code timings}; null when it has none. */
    public static LlamaTimings from(JsonNode body) {
        JsonNode t = body == null ? null : body.path("timings");
        if (t == null || !t.isObject()) {
            return null;
        }
        return new LlamaTimings(t.path("cache_n").asInt(0), t.path("prompt_n").asInt(0), t.path("prompt_ms").asDouble(0),
                t.path("predicted_n").asInt(0), t.path("predicted_ms").asDouble(0));
    }
}
