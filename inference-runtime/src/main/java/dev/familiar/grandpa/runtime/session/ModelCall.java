package dev.familiar.grandpa.runtime.session;

import java.util.UUID;

/**
 * One call to grandpa's model, as llama-server measured it ({@code timings}): how much of the prompt
 * came from its cache, and how fast it read the rest and wrote the answer.
 *
 * @param firstTokenMs from sending the request to the first streamed token (TTFT), or -1 if none came
 * @param model        the model asked ({@code grandpa.model.name}), so two resident models can be compared
 */
public record ModelCall(UUID taskId, Purpose purpose, int promptTokens, int cachedTokens, double promptMs,
                        int predictedTokens, double predictedMs, long firstTokenMs, long wallMs, String model) {

    public double promptTokensPerSecond() {
        return promptMs <= 0 ? 0 : (promptTokens - cachedTokens) * 1000.0 / promptMs;
    }

    public double predictedTokensPerSecond() {
        return predictedMs <= 0 ? 0 : predictedTokens * 1000.0 / predictedMs;
    }
}
