package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.util.Arrays;
import java.util.List;

/**
 * Prompt processing of a placement, predicted. A server evaluates a prompt a micro-batch at a time. From
 * {@code offloadBatch} tokens on it copies the expert weights of the layers kept in host memory to the GPU and runs
 * them there (only the experts the batch uses: with many tokens, nearly all of them): the batch takes that copy at the
 * link's speed (pinned host memory, or mapped pages, six times slower), then the GPU reads the weights of every
 * expert the batch uses and of every other layer once (its grouped matrix kernels: about 1 TB/s on the H200, not the
 * 4.8 of a plain read) and works on every token's active weights (a compute cost a byte). Below {@code offloadBatch}
 * the CPU runs the host's experts: it reads the experts the batch uses from host memory and works on every token's
 * active expert weights there, and the GPU does the rest. The last layer works on the tokens whose logits are asked
 * for only (a prompt's last; the planner names the graphs that keep every token to the end), so its experts in
 * host memory are neither copied nor worked through: the planner leaves them out of {@code hostExpertBytes}
 * (measured under ik_llama.cpp, where each GLM layer of experts on the host costs a 512-token batch 0.41 s and a
 * 4,096-token batch 0.10 s, and the last one nothing); the GPU's terms, fitted to whole models, count its experts
 * where it holds them.
 * Attention grows with the context: each token against every token before it, at the GPU's flash-attention rate.
 * Fitted on one H200 with a 16-core Xeon ({@code scripts/speed/}, {@code speed-*-h200.csv} in the tests): the link
 * with mainline llama.cpp on a random-routing qwen3moe shape (its 24-layer rows); the GPU's three terms on that
 * shape's whole-GPU rows (mainline at -ub 512 and 2048 from an empty context, ik_llama.cpp's 4,096 tokens after
 * 4,096); the CPU's work a byte with ik_llama.cpp on GLM-5.1's shape at -ub 512. The offload batch is llama.cpp's
 * 32 tokens; ik_llama.cpp's 32 tokens an expert on average (GLM-5.1: -ub 1024, Qwen3.5: 1,639).
 *
 * @param hostExpertBytes routed expert bytes in host memory that a batch works through (not the last layer's)
 * @param gpuExpertBytes  routed expert bytes the GPUs hold
 * @param otherBytes      the other layer weights the GPUs hold, not the output head (a prompt's logits are computed
 *                        for its last token only)
 * @param attentionPairWork the multiply-adds of one prompt token against one earlier token over all attention layers
 *                        ({@link #attentionPairWork(ModelProfile, LlamaServerFlavor)})
 * @param hostBandwidth   host memory's read bandwidth, bytes a second (the CPU's reading of its experts)
 * @param offloadBatch    the smallest batch for which the server runs the host's experts on the GPU
 */
public record PromptSpeed(int context, int microBatch, int expertsUsed, int expertCount, double hostExpertBytes,
                          double gpuExpertBytes, double otherBytes, double attentionPairWork, double hostBandwidth,
                          int offloadBatch) {
    /** Host to GPU, bytes a second: pinned host memory ({@code CUDA_Host}) and mapped pages. */
    static final double PINNED_LINK = 54.6e9;
    static final double MAPPED_LINK = 8.37e9;
    /** The GPU's reading of a batch's weights, bytes a second (fitted to the H200's whole-GPU qwen3moe rows). */
    static final double GPU_BATCH_READ = 9.89e11;
    /** The GPU's seconds per active weight byte of each token of a batch (the same fit). */
    static final double PER_TOKEN_BYTE = 2.248e-14;
    /** The CPU's seconds per active expert byte of each token of a batch (16 cores, ik_llama.cpp, Q4_0 experts). */
    static final double CPU_PER_TOKEN_BYTE = 3.76e-12;
    /** The GPU's attention, floating-point operations a second (two a multiply-add; fitted, see the class). */
    static final double ATTENTION_FLOPS = 4.07e14;
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
        return tokensPerSecond(tokens, 0, pinned);
    }

    /** A prompt of this many tokens after {@code depth} tokens already in the context (a cached prefix). */
    public double tokensPerSecond(int tokens, int depth, boolean pinned) {
        double seconds = 0;
        for (int done = 0; done < tokens; done += microBatch) {
            int batch = Math.min(microBatch, tokens - done);
            // each token attends to every token before it in the context, and to itself
            double pairs = (double) batch * (depth + done) + (double) batch * (batch + 1) / 2;
            seconds += batchSeconds(batch, pinned ? PINNED_LINK : MAPPED_LINK)
                    + 2 * pairs * attentionPairWork / ATTENTION_FLOPS;
        }
        return tokens / seconds;
    }

    /**
     * The multiply-adds of one prompt token against one earlier token over the model's attention layers, as the
     * flavor runs a prompt's attention: a head's key and value widths times the heads; MLA under mainline over the
     * latent (keys of its rank and rope part, values of its rank), under ik_llama.cpp ({@code -mla 3}) over the heads
     * it decompresses.
     */
    static double attentionPairWork(ModelProfile profile, LlamaServerFlavor flavor) {
        long widths = profile.mla().heads() > 0 && flavor == LlamaServerFlavor.LLAMA_CPP
                ? profile.mla().latentKeyValueWidths() : profile.headWidths();
        return (double) widths * profile.kvLayers();
    }

    /** Whether the CPU runs the host's experts for a whole micro-batch (ik_llama.cpp below its offload batch). */
    public boolean cpuRunsHostExperts() {
        return hostExpertBytes > 0 && microBatch < offloadBatch;
    }

    /**
     * One batch: the host's experts it uses copied over the link (or, below the offload batch, read and worked
     * through by the CPU), the GPU's reading of the weights it works through, and its tokens' work on the GPU.
     */
    double batchSeconds(int batch, double link) {
        double share = expertCount == 0 ? 1 : (double) expertsUsed / expertCount;
        double used = 1 - Math.pow(1 - share, batch); // the share of experts some token of the batch routes to
        boolean offloaded = batch >= offloadBatch;
        double gpuExperts = offloaded ? gpuExpertBytes + hostExpertBytes : gpuExpertBytes;
        double gpu = (gpuExperts * used + otherBytes) / GPU_BATCH_READ
                + batch * (gpuExperts * share + otherBytes) * PER_TOKEN_BYTE;
        double host = offloaded ? hostExpertBytes * used / link
                : hostExpertBytes * used / hostBandwidth + batch * hostExpertBytes * share * CPU_PER_TOKEN_BYTE;
        return gpu + host;
    }
}
