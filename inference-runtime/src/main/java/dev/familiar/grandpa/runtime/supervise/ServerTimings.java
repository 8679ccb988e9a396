package dev.familiar.grandpa.runtime.supervise;

/**
 * How fast a llama-server really was, from the timings it logs after each request ({@code prompt eval time = ...}
 * and {@code eval time = ...}, mainline's and ik_llama.cpp's alike): the first prompt long enough to say something
 * of its prompt processing, and the first answer long enough to say something of its generation; either is null
 * until the server has served one.
 */
public record ServerTimings(Rate prompt, Rate generation) {
    /** Fewer prompt tokens than this time the request's overhead more than the model's prompt processing. */
    public static final int MIN_PROMPT_TOKENS = 512;
    /** Fewer generated tokens than this are mostly the first token's latency. */
    public static final int MIN_GENERATED_TOKENS = 16;
    public static final ServerTimings NONE = new ServerTimings(null, null);

    /** {@code tokens} evaluated or generated in one request at this rate. */
    public record Rate(int tokens, double tokensPerSecond) {
        static Rate of(int tokens, double milliseconds) {
            return new Rate(tokens, tokens * 1000 / milliseconds);
        }
    }

    /** One request's timings, as its response or the log gives them: each part kept when it is long enough. */
    public static ServerTimings of(int promptTokens, double promptMs, int generatedTokens, double generatedMs) {
        return NONE.withPrompt(promptTokens, promptMs).withGeneration(generatedTokens, generatedMs);
    }

    /** With a request's prompt timing taken when it is the first one long enough. */
    ServerTimings withPrompt(int tokens, double milliseconds) {
        return prompt != null || tokens < MIN_PROMPT_TOKENS || milliseconds <= 0 ? this
                : new ServerTimings(Rate.of(tokens, milliseconds), generation);
    }

    /** With a request's generation timing taken when it is the first one long enough. */
    ServerTimings withGeneration(int tokens, double milliseconds) {
        return generation != null || tokens < MIN_GENERATED_TOKENS || milliseconds <= 0 ? this
                : new ServerTimings(prompt, Rate.of(tokens, milliseconds));
    }
}
