package dev.familiar.grandpa.runtime.placement;

import java.util.Arrays;
import java.util.List;

/**
 * Prompt processing of a placement, predicted. llama.cpp evaluates a prompt a micro-batch at a time; for a batch
 * of 32 tokens or more it copies the expert weights of the layers kept in host memory to the GPU and runs them
 * there (only the experts the batch uses: with many tokens, nearly all of them). A batch takes that copy at the
 * link's speed (pinned host memory, or mapped pages, six times slower), then the GPU reads the weights of every
 * expert the batch uses and of every other layer once (its grouped matrix kernels: about 1 TB/s on the H200, not the
 * 4.8 of a plain read) and works on every token's active weights (a compute cost a byte). Fitted with mainline
 * llama.cpp on one H200 to a random-routing qwen3moe shape ({@code scripts/speed/}, {@code speed-llama_cpp-h200.csv}
 * in the tests): the link from the 24-layer rows, the GPU's two terms from the whole-GPU rows at -ub 512 and 2048;
 * Qwen3.5's shape, 512 experts of which a 512-token batch gives each 10 tokens, is within 8.2 % at every placement
 * measured. Not counted: attention's growth with the prompt's length (measured at 2,048 tokens). A batch under
 * {@code offloadBatch} runs the host's experts on the CPU and is counted as that many generated tokens: llama.cpp's
 * under 32 tokens; ik_llama.cpp's under 32 tokens an expert on average (GLM-5.1: -ub 1024), where the CPU computes a
 * whole micro-batch at once, which was not measured.
 *
 * @param hostExpertBytes   all routed expert bytes of the layers whose experts stay in host memory
 * @param allExpertBytes    all routed expert bytes of the placeable layers, wherever they live
 * @param otherBytes        the other layer weights the GPUs hold, not the output head (a prompt's logits are computed
 *                          for its last token only)
 * @param generationSeconds the time of one generated token (what a batch under {@code offloadBatch} costs a token)
 * @param offloadBatch      the smallest batch for which the server runs the host's experts on the GPU
 */
public record PromptSpeed(int context, int microBatch, int expertsUsed, int expertCount, double hostExpertBytes,
                          double allExpertBytes, double otherBytes, double generationSeconds, int offloadBatch) {
    /** Host to GPU, bytes a second: pinned host memory ({@code CUDA_Host}) and mapped pages. */
    static final double PINNED_LINK = 54.6e9;
    static final double MAPPED_LINK = 8.37e9;
    /** The GPU's reading of a batch's weights, bytes a second (fitted to the H200's whole-GPU qwen3moe rows). */
    static final double GPU_BATCH_READ = 9.89e11;
    /** The GPU's seconds per active weight byte of each token of a batch (the same fit). */
    static final double PER_TOKEN_BYTE = 2.316e-14;
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
            seconds += batch < offloadBatch ? batch * generationSeconds
                    : batchSeconds(batch, pinned ? PINNED_LINK : MAPPED_LINK);
        }
        return tokens / seconds;
    }

    /** Whether the CPU runs the host's experts for a whole micro-batch (ik_llama.cpp below its threshold): not measured. */
    public boolean cpuRunsHostExperts() {
        return hostExpertBytes > 0 && microBatch < offloadBatch;
    }

    /** One batch: the host's experts it uses copied over the link, the GPU's reading of its weights, its tokens' work. */
    double batchSeconds(int batch, double link) {
        double share = expertCount == 0 ? 1 : (double) expertsUsed / expertCount;
        double used = 1 - Math.pow(1 - share, batch); // the share of experts some token of the batch routes to
        double activeBytes = allExpertBytes * share + otherBytes; // what one token works through
        return hostExpertBytes * used / link + (allExpertBytes * used + otherBytes) / GPU_BATCH_READ
                + batch * activeBytes * PER_TOKEN_BYTE;
    }
}
