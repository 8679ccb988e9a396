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
     * What llama-server spends a generated token beyond llama-bench's rows, off which the generation terms were read
     * (f16 cache, empty context). On the H200 qwen3moe with every expert on the GPU generated 190 to 210 tokens a
     * second from llama-server (after a 2,048-token prompt, q8_0 cache, as planned) where llama-bench makes 268 to
     * 281: 1.1 to 1.6 ms. About 0.3 to 0.4 ms is the server's own (against llama-bench with the same cache at the same
     * depth there; 0.38 to 0.41 ms on a CPU-only build, whatever the vocabulary); the rest is that shape's q8_0 cache
     * at the prompt's depth (0.5 ms at an empty context, 0.9 ms after 2,048 tokens), which the GLM-5.1 and Qwen3.5
     * shapes barely pay. Generation by depth and cache type is not predicted apart (BENCHMARKS.md, ninth lease).
     */
    public static final double SERVER_MS_PER_TOKEN = 1.4;

    /** Generation as a llama-server answers: {@link #tokensPerSecond} and {@link #SERVER_MS_PER_TOKEN}. */
    public double serverTokensPerSecond() {
        return 1000 / (1000 / tokensPerSecond + SERVER_MS_PER_TOKEN);
    }

    /** Prompt processing at the usual prompt sizes that fit the context. */
    public List<PromptPrediction> prompt() {
        return promptSpeed.bySize();
    }
}
