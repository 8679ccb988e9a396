package dev.familiar.grandpa.runtime.supervise;

/**
 * How fast a llama-server really was, from the timings it logs after each request ({@code prompt eval time = ...}
 * and {@code eval time = ...}, mainline's and ik_llama.cpp's alike): the fastest of its prompts long enough to say
 * something of its prompt processing, and the fastest of its answers long enough to say something of its generation;
 * either is null until the server has served one. The fastest, not the first: a server's first long prompt after a
 * start ran up to 30 % slower than the next one on the H200 (BENCHMARKS.md, "Speed of a placement", seventh lease),
 * and a request deep into a long context runs slower than the plan, which predicts from an empty one.
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

    /** With a request's prompt timing taken when it is long enough and the fastest yet. */
    ServerTimings withPrompt(int tokens, double milliseconds) {
        return tokens < MIN_PROMPT_TOKENS || milliseconds <= 0 || !fasterThan(prompt, tokens, milliseconds) ? this
                : new ServerTimings(Rate.of(tokens, milliseconds), generation);
    }

    /** With a request's generation timing taken when it is long enough and the fastest yet. */
    ServerTimings withGeneration(int tokens, double milliseconds) {
        return tokens < MIN_GENERATED_TOKENS || milliseconds <= 0 || !fasterThan(generation, tokens, milliseconds) ? this
                : new ServerTimings(prompt, Rate.of(tokens, milliseconds));
    }

    private static boolean fasterThan(Rate kept, int tokens, double milliseconds) {
        return kept == null || Rate.of(tokens, milliseconds).tokensPerSecond() > kept.tokensPerSecond();
    }
}
