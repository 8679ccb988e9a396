package dev.familiar.grandpa.runtime.placement;

import java.util.List;

/**
 * Predicted speed. Generation: time per token is the active expert bytes read from host memory over its
 * bandwidth, plus the GPU's share (shared/context/moe-offload-measurements.md: time grows linearly with the
 * expert bytes left on the CPU), as llama-bench measures it; a server adds {@link #SERVER_MS_PER_TOKEN}. Prompt
 * processing by prompt size ({@link PromptSpeed}).
 */
public record SpeedPrediction(double tokensPerSecond, double hostMsPerToken, double gpuMsPerToken,
                              double hostBytesPerToken, double hostBandwidth, PromptSpeed promptSpeed) {
    /**
     * llama-server's own time a generated token, which llama-bench (the generation terms were read off its rows) does
     * not spend. On the H200's host qwen3moe with every expert on the GPU generated 190 to 205 tokens a second from
     * llama-server (four requests) where llama-bench makes 268 to 281 on every lease: 1.2 to 1.6 ms. Not the sampler's
     * work over the vocabulary: a CPU-only build spent 0.38 to 0.41 ms a token more than its llama-bench with
     * vocabularies of 1,000 to 248,320 tokens, greedy or sampled (BENCHMARKS.md, "Seventh and eighth leases").
     */
    public static final double SERVER_MS_PER_TOKEN = 1.4;

    /** Generation as a llama-server answers: {@link #tokensPerSecond} and the server's own time a token. */
    public double serverTokensPerSecond() {
        return 1000 / (1000 / tokensPerSecond + SERVER_MS_PER_TOKEN);
    }

    /** Prompt processing at the usual prompt sizes that fit the context. */
    public List<PromptPrediction> prompt() {
        return promptSpeed.bySize();
    }
}
