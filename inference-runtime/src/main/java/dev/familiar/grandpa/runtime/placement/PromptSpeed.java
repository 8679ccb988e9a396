package dev.familiar.grandpa.runtime.placement;

import java.util.Arrays;
import java.util.List;

/**
 * Prompt processing of a placement, predicted. llama.cpp evaluates a prompt a micro-batch at a time; for a batch
 * of 32 tokens or more it copies the expert weights of the layers kept in host memory to the GPU and runs them
 * there (only the experts the batch uses: with many tokens, nearly all of them). A batch takes that copy at the
 * link's speed (pinned host memory, or mapped pages, six times slower) plus the GPU's work, whose time per token
 * is the token's active weights at a rate that grows with the tokens each expert gets from the batch (small
 * expert matrices run slowly). Measured with mainline llama.cpp on one H200 (a random-routing qwen3moe shape,
 * {@code scripts/speed/}, {@code speed-llama_cpp-h200.csv} in the tests): a batch's time is the copy plus the
 * GPU's work within 3 % at every point. Not counted: attention's growth with the prompt's length (measured at
 * 2,048 tokens), and a batch under 32 tokens, which llama.cpp computes on the CPU like generated tokens.
 *
 * @param hostExpertBytes   all routed expert bytes of the layers whose experts stay in host memory
 * @param activeBytes       the weight bytes one token of a prompt works through: its active experts and every other
 *                          layer's weights, not the output head (a prompt's logits are computed for its last token)
 * @param generationSeconds the time of one generated token (what a batch under 32 tokens costs a token)
 */
public record PromptSpeed(int context, int microBatch, int expertsUsed, int expertCount, double hostExpertBytes,
                          double activeBytes, double generationSeconds) {
    /** Host to GPU, bytes a second: pinned host memory ({@code CUDA_Host}) and mapped pages. */
    static final double PINNED_LINK = 54.6e9;
    static final double MAPPED_LINK = 8.37e9;
    /**
     * The GPU's seconds per active weight byte of a token: {@code FLAT + PER_EXPERT_TOKEN / tokens per expert}
     * (fitted to the H200's whole-GPU runs of the qwen3moe shape at -ub 512 and 2048: 32 and 128 tokens an expert).
     */
    static final double FLAT = 2.31e-14;
    static final double PER_EXPERT_TOKEN = 6.83e-13;
    /** Prompt sizes the prediction is given for, those that fit the context. */
    static final int[] PROMPTS = {512, 2048, 8192, 32768, 131072};

    /** The prediction at the usual prompt sizes that fit the context. */
    public List<PromptPrediction> bySize() {
        return Arrays.stream(PROMPTS).filter(tokens -> tokens <= context)
                .mapToObj(tokens -> new PromptPrediction(tokens, tokensPerSecond(tokens, true), tokensPerSecond(tokens, false)))
                .toList();
    }

    /** A prompt of this many tokens, its host experts in pinned memory or in mapped pages. */
    public double tokensPerSecond(int tokens, boolean pinned) {
        double seconds = 0;
        for (int done = 0; done < tokens; done += microBatch) {
            int batch = Math.min(microBatch, tokens - done);
            seconds += batch < ComputeBuffers.OFFLOAD_MIN_BATCH ? batch * generationSeconds
                    : batchSeconds(batch, pinned ? PINNED_LINK : MAPPED_LINK);
        }
        return tokens / seconds;
    }

    /** One batch: the experts it uses copied over the link, and the GPU's work on every token. */
    double batchSeconds(int batch, double link) {
        double share = expertCount == 0 ? 1 : (double) expertsUsed / expertCount;
        double used = 1 - Math.pow(1 - share, batch); // the share of experts some token of the batch routes to
        double tokensPerExpert = Math.max(1, batch * share);
        return hostExpertBytes * used / link + batch * activeBytes * (FLAT + PER_EXPERT_TOKEN / tokensPerExpert);
    }
}
