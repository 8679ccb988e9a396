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
 * expert the batch uses and of every other layer once (its grouped matrix kernels: about 0.9 TB/s on the H200, not the
 * 4.8 of a plain read) and works on every token's active weights. That work goes by the weight under mainline (its
 * Q4_0 experts cost 1.8 times their bytes' worth of Q8_0) and by the byte under ik_llama.cpp (whose Q4_0 kernels ran
 * GLM-5.1's batches as fast a byte as Q8_0's). Below {@code offloadBatch} the CPU runs the host's experts: it works
 * through every token's active expert weights, reading the experts the batch uses from host memory as it goes (the
 * reading hides behind the work from a few dozen tokens on), and the GPU does the rest. The last layer works on the
 * tokens whose logits are asked for only (a prompt's last; the planner names the graphs that keep every token to the
 * end), so its experts in host memory are neither copied nor worked through: the planner leaves them out of
 * {@code host}; the GPU's terms, fitted to whole models, count its experts where it holds them.
 * Attention grows with the context: each token against every token before it, at a flash-attention rate that
 * depends on a head's key width, and mainline runs MLA over its latent ({@link #attentionPairSeconds}).
 * Fitted on one H200 with a 16-core Xeon ({@code scripts/speed/}, {@code speed-*-h200.csv} in the tests): the link
 * with mainline llama.cpp on a random-routing qwen3moe shape (its 24-layer rows); the attention rates on
 * ik_llama.cpp's sweeps of qwen3moe and GLM-5.1 to 61,440 tokens of context; the GPU's batch reading and work a
 * token on qwen3moe's whole-GPU rows (mainline at -ub 512 and 2048 from an empty context, ik_llama.cpp's 4,096 tokens
 * after 4,096); the CPU's work a weight with ik_llama.cpp on GLM-5.1's shape at -ub 512. The offload batch is
 * llama.cpp's 32 tokens; ik_llama.cpp's 32 tokens an expert on average (GLM-5.1: -ub 1024, Qwen3.5: 1,639).
 *
 * @param expertShare     the share of a layer's experts one token uses
 * @param host            routed experts in host memory that a batch works through (not the last layer's)
 * @param gpu             routed experts the GPUs hold
 * @param otherBytes      the other layer weights the GPUs hold, not the output head (a prompt's logits are computed
 *                        for its last token only); Q8_0 or wider, counted by the byte
 * @param attentionPairSeconds the GPU's time for one prompt token against one earlier token over all attention
 *                        layers ({@link #attentionPairSeconds(ModelProfile, LlamaServerFlavor)})
 * @param hostBandwidth   host memory's read bandwidth, bytes a second (the CPU's reading of its experts)
 * @param offloadBatch    the smallest batch for which the server runs the host's experts on the GPU
 * @param flavor          the server, whose GPU kernels count their work by the weight or by the byte
 */
public record PromptSpeed(int context, int microBatch, double expertShare, ExpertWeights host,
                          ExpertWeights gpu, double otherBytes, double attentionPairSeconds, double hostBandwidth,
                          int offloadBatch, LlamaServerFlavor flavor) {
    /** Host to GPU, bytes a second: pinned host memory ({@code CUDA_Host}) and mapped pages. */
    static final double PINNED_LINK = 54.6e9;
    static final double MAPPED_LINK = 8.37e9;
    /** The GPU's reading of a batch's weights, bytes a second (fitted to the H200's whole-GPU qwen3moe rows). */
    static final double GPU_BATCH_READ = 8.88e11;
    /** The GPU's seconds per active weight byte of each token of a batch, Q8_0 (the same fit). */
    static final double PER_TOKEN_BYTE = 1.994e-14;
    /** Q8_0's bytes a weight: mainline's work a weight is the work of this many bytes of Q8_0. */
    static final double Q8_0_BYTES_PER_WEIGHT = 34.0 / 32;
    /** The CPU's seconds per active expert weight of each token of a batch (16 cores, ik_llama.cpp, Q4_0 experts). */
    static final double CPU_PER_TOKEN_WEIGHT = 2.746e-12;
    /**
     * The GPU's flash attention, floating-point operations a second (two a multiply-add), for heads with keys of up
     * to 128 (qwen3moe's, grouped eight queries a key: ik's sweep to 61,440 tokens) and wider (GLM-5.1's heads of 256
     * as ik_llama.cpp decompresses them, one query a key: 1.9 times slower; held out, Qwen3.5's 256-wide heads under
     * mainline, 16 queries a key, ran 1.35e14 on average from 0 to 64k tokens).
     */
    static final double NARROW_ATTENTION_FLOPS = 2.15e14;
    static final double WIDE_ATTENTION_FLOPS = 1.13e14;
    /**
     * Mainline's flash attention over MLA's latent, which every head shares (its key is the value's latent plus the
     * rope part): GLM-5.1's 2,048-token prompt after 16k and after 64k tokens, whole GPU; the same placement with
     * experts on the CPU, held out, came within 3 %.
     */
    static final double LATENT_ATTENTION_FLOPS = 3.13e14;
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
                    + pairs * attentionPairSeconds;
        }
        return tokens / seconds;
    }

    /**
     * The GPU's seconds for one prompt token against one earlier token over the model's attention layers, as the
     * flavor runs a prompt's attention: a head's key and value widths times the heads, two operations a multiply-add,
     * at the rate of its key width; MLA under mainline over the latent (keys of its rank and rope part, values of its
     * rank, at its own rate; its DSA indexer's top-k masks that attention but does not shorten it), under ik_llama.cpp
     * ({@code -mla 3}) over the heads it decompresses.
     */
    static double attentionPairSeconds(ModelProfile profile, LlamaServerFlavor flavor) {
        if (profile.mla().heads() > 0 && flavor == LlamaServerFlavor.LLAMA_CPP) {
            return 2.0 * profile.mla().latentKeyValueWidths() * profile.kvLayers() / LATENT_ATTENTION_FLOPS;
        }
        double flops = profile.headKeyLength() <= 128 ? NARROW_ATTENTION_FLOPS : WIDE_ATTENTION_FLOPS;
        return 2.0 * profile.headWidths() * profile.kvLayers() / flops;
    }

    /** Whether the CPU runs the host's experts for a whole micro-batch (ik_llama.cpp below its offload batch). */
    public boolean cpuRunsHostExperts() {
        return host.bytes() > 0 && microBatch < offloadBatch;
    }

    /**
     * One batch: the host's experts it uses copied over the link (or, below the offload batch, worked through by the
     * CPU as it reads them), the GPU's reading of the weights it works through, and its tokens' work on the GPU.
     */
    double batchSeconds(int batch, double link) {
        double used = 1 - Math.pow(1 - expertShare, batch); // the share of experts some token of the batch routes to
        boolean offloaded = batch >= offloadBatch;
        ExpertWeights onGpu = offloaded ? gpu.plus(host) : gpu;
        double gpuSeconds = (onGpu.bytes() * used + otherBytes) / GPU_BATCH_READ
                + batch * (gpuWork(onGpu) * expertShare + otherBytes) * PER_TOKEN_BYTE;
        double hostSeconds = offloaded ? host.bytes() * used / link
                : Math.max(host.bytes() * used / hostBandwidth,
                        batch * host.weights() * expertShare * CPU_PER_TOKEN_WEIGHT);
        return gpuSeconds + hostSeconds;
    }

    /** The GPU's work on experts in Q8_0 bytes: by the weight under mainline, by the byte under ik_llama.cpp. */
    private double gpuWork(ExpertWeights experts) {
        return flavor == LlamaServerFlavor.IK_LLAMA_CPP ? experts.bytes()
                : experts.weights() * Q8_0_BYTES_PER_WEIGHT;
    }
}
