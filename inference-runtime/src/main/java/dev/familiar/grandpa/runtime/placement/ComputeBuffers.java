package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.profile.LayerProfile;
import dev.familiar.grandpa.runtime.profile.MlaHeads;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;

/**
 * What llama-server keeps beside the weights, per flavor, fitted to the lines each server logs on the H200 machine
 * (flash attention on; BENCHMARKS.md, "Compute buffers"): the compute buffer of one micro-batch's graph on a GPU
 * and in pinned host memory, and a layer's KV cache (with a DSA model's indexer keys, which the servers keep apart).
 */
final class ComputeBuffers {
    /** The micro-batch from which llama.cpp's CUDA backend copies CPU-resident expert weights to the GPU. */
    static final int OFFLOAD_MIN_BATCH = 32;
    /** ik_llama.cpp's MLA attention peak ({@link #mlaAttention}), fitted: a decompressed column of a head and cell. */
    private static final double MLA_BYTES_PER_COLUMN = 6.12;
    private static final long MLA_BYTES_PER_CELL = 209;
    private static final long MLA_FIXED = 39L << 20;

    private ComputeBuffers() {}

    /**
     * A layer's KV cache for the whole context: its attention's keys and values in the cache type, and a DSA model's
     * indexer keys (GLM-5.x's DSA). Mainline keeps those in the cache type on every layer of GLM-5.1 (GLM-5.2 names
     * its "full" layers); ik_llama.cpp keeps them in f16 on the layers GLM-5.2's pattern names (0, 1 and every 4th
     * from 2), whichever model it is, and runs the sparse attention only when started with {@code --dsa}.
     */
    static long kvCacheBytes(ModelProfile p, LayerProfile l, PlacementRequest r) {
        GgmlType type = r.cacheType();
        return l.kvElementsPerToken() * r.contextLength() / type.blockSize() * type.typeSize() + indexerKeyBytes(p, l, r);
    }

    static long indexerKeyBytes(ModelProfile p, LayerProfile l, PlacementRequest r) {
        long indexer = p.indexerKeyLength();
        if (indexer == 0 || l.kvElementsPerToken() == 0) {
            return 0;
        }
        if (r.flavor() == LlamaServerFlavor.LLAMA_CPP) {
            return indexer * r.contextLength() / r.cacheType().blockSize() * r.cacheType().typeSize();
        }
        return l.index() <= 1 || l.index() % 4 == 2 ? indexer * r.contextLength() * 2 : 0;
    }

    /**
     * The compute buffer on one GPU: the peak of what one micro-batch's graph keeps alive at once. ik_llama.cpp:
     * the output head (f32 logits for every token of the micro-batch plus two hidden states) on the GPU that holds
     * it, an MLA prompt's attention ({@link #mlaAttention}), or a layer: the f16 attention mask over the whole
     * context, the hidden state and the used experts' gate/up outputs, plus, where the experts stay on the CPU and
     * the GPU runs them ({@link #offloads}), the expert tensors it copies over ({@code copiedExperts}, gate and up
     * for its fused op; a hybrid model's down beside them, {@code copiedTensor}; -1 when no layer here keeps its
     * experts on the CPU), else the used experts' down outputs. Mainline llama.cpp never peaks at the output head;
     * a layer there keeps the down outputs too, and either the gate/up outputs once more (experts on the GPU) or one
     * expert tensor copied over (on the CPU; a hybrid model's gate and up together); with a quantized KV cache the
     * attention of one layer (its K and V in f16, the mask, query and output; a hybrid's beside the down outputs) can
     * be the peak instead. A DSA model there has a second mask (its indexer's) and can peak at the sparse attention.
     */
    static long gpu(ModelProfile p, PlacementRequest r, boolean holdsOutput, long copiedExperts, long copiedTensor,
                    boolean gpuExperts) {
        long ub = r.microBatch();
        long f32 = 4;
        boolean sparse = sparseIndexer(p, r.flavor());
        long mask = attentionMask(r) * (sparse ? 2 : 1);
        long hidden = ub * f32 * (p.embedding() + 2L * p.expertsUsed() * p.expertFeedForward());
        long downOutputs = ub * f32 * p.expertsUsed() * p.embedding();
        boolean hybrid = p.stateBytesPerSequence() > 0;
        boolean offloads = offloads(p, r);
        if (r.flavor() == LlamaServerFlavor.LLAMA_CPP) {
            long onGpu = gpuExperts || copiedExperts < 0 ? mask + hidden + downOutputs
                    + ub * f32 * 2L * p.expertsUsed() * p.expertFeedForward() : 0;
            // a hybrid (recurrent) model copies gate and up over together, beside their outputs but one expert's,
            // and keeps the down outputs beside a quantized cache's attention; the others copy one expert tensor
            // at a time (each measured: BENCHMARKS.md, "Compute buffers")
            long onCpu = copiedExperts < 0 ? 0 : hybrid
                    ? mask + ub * f32 * (2L * p.expertsUsed() - 1) * p.expertFeedForward()
                            + (offloads ? copiedExperts : 0)
                    : mask + hidden + downOutputs + (offloads ? copiedTensor : 0);
            long keysF16 = r.contextLength() * 2L * p.layers().stream().mapToLong(LayerProfile::kvElementsPerToken).max().orElse(0);
            long attention = r.cacheType() == GgmlType.F16 ? 0 : mask + 3 * ub * f32 * p.embedding()
                    + (hybrid ? downOutputs : 0) + keysF16;
            return Math.max(sparse ? sparseAttention(p, r, keysF16) : 0, Math.max(attention, Math.max(onGpu, onCpu)));
        }
        long output = holdsOutput ? ub * f32 * (p.vocabulary() + 2 * p.embedding()) : 0;
        long copied = copiedExperts < 0 || !offloads ? 0 : copiedExperts + (hybrid ? copiedTensor : 0);
        long layer = mask + hidden + Math.max(copied, gpuExperts || copiedExperts < 0 ? downOutputs : 0);
        return Math.max(Math.max(output, layer), mlaAttention(p, r));
    }

    /**
     * Whether the GPU runs the experts kept on the CPU for this micro-batch (copying them over), else the CPU does.
     */
    static boolean offloads(ModelProfile p, PlacementRequest r) {
        return r.microBatch() >= offloadBatch(p, r.flavor());
    }

    /**
     * The smallest micro-batch for which the GPU runs the experts kept on the CPU: llama.cpp's 32 tokens;
     * ik_llama.cpp's once each expert gets 32 tokens on average ({@code ub x used >= 32 x experts}: 1,024 for
     * GLM-5.1's 256 experts of which 8 are used, 1,639 for Qwen3.5's 512 of 10, 512 for Qwen3-30B-A3B's 128 of 8).
     */
    static int offloadBatch(ModelProfile p, LlamaServerFlavor flavor) {
        if (flavor == LlamaServerFlavor.LLAMA_CPP || p.expertsUsed() == 0) {
            return OFFLOAD_MIN_BATCH;
        }
        long perExpert = (long) OFFLOAD_MIN_BATCH * p.expertCount();
        return (int) Math.max(OFFLOAD_MIN_BATCH, (perExpert + p.expertsUsed() - 1) / p.expertsUsed());
    }

    /**
     * ik_llama.cpp's MLA attention of a prompt's micro-batch (-mla 3, 128 tokens or more): it decompresses the
     * cached latent into the heads' keys and values for the whole context, as many heads at a time as keep their
     * f32 keys and values under {@code -amb} MiB. At the peak: those heads' keys and values in f32 and their f16
     * copies, about 6.1 bytes a decompressed column of a head and cell; 209 bytes a cell; three f32 rows of the
     * heads' queries and one of the hidden state a token; the mask; 39 MiB. Fitted to GLM-5.1's shape (CUDA and a
     * build without it, -amb 256 and 512, -ub 512, contexts 16k to 128k); -amb 1024 and -ub 1024 and 2048 held out.
     */
    static long mlaAttention(ModelProfile p, PlacementRequest r) {
        MlaHeads mla = p.mla();
        if (mla.heads() == 0 || r.microBatch() < 128) {
            return 0;
        }
        long context = r.contextLength();
        long headCells = headsAtOnce(mla, context, r.attentionMaxBatch()) * context;
        long queries = r.microBatch() * 4L * (3L * mla.heads() * (mla.keyNope() + mla.keyRope()) + p.embedding());
        return attentionMask(r) + queries + (long) (headCells * (mla.keyNope() + mla.value()) * MLA_BYTES_PER_COLUMN)
                + context * MLA_BYTES_PER_CELL + MLA_FIXED;
    }

    /** ik_llama.cpp's split of the heads: the fewest rounds, dividing the heads evenly, that keep a round under -amb. */
    static long headsAtOnce(MlaHeads mla, long context, int maxMib) {
        long mib = mla.decompressedWidth() * context * 4 / (1 << 20);
        if (maxMib <= 0 || mib <= maxMib) {
            return mla.heads();
        }
        for (int rounds = 2; rounds < mla.heads(); rounds++) {
            if (mla.heads() % rounds == 0 && mib / rounds <= maxMib) {
                return mla.heads() / rounds;
            }
        }
        return 1;
    }

    /**
     * Mainline's DSA attention of one layer (fitted to GLM-5.1's shape, not derived op by op): 11.5 bytes per token
     * of the micro-batch and cell of the context with an f16 cache (the indexer's f32 scores, both masks, the top-k
     * selection); with a quantized one the keys in f16 beside 12 bytes a cell, or beside five f32 rows of the heads'
     * latent a token, whichever is more.
     */
    private static long sparseAttention(ModelProfile p, PlacementRequest r, long keysF16) {
        long cells = (long) r.microBatch() * r.contextLength();
        return r.cacheType() == GgmlType.F16 ? cells * 23 / 2
                : keysF16 + Math.max(cells * 12, r.microBatch() * 5L * 4 * p.mla().latentWidth());
    }

    /**
     * The CPU backend's compute buffer (pinned host memory beside a GPU): the mask and the input embeddings
     * (ik_llama.cpp), or the masks and two embedding-wide f32 rows a token (llama.cpp). Where ik_llama.cpp runs the
     * CPU's experts itself ({@link #offloads}), their down outputs beside the mask, and their gate/up outputs where
     * they are larger than the mask (a freed buffer of the mask's size takes them otherwise; fitted to GLM-5.1's and
     * Qwen3.5's shapes at -ub 512).
     */
    static long host(ModelProfile p, PlacementRequest r, boolean cpuExperts) {
        int rows = r.flavor() == LlamaServerFlavor.LLAMA_CPP ? 2 : 1;
        long mask = attentionMask(r) * (sparseIndexer(p, r.flavor()) ? 2 : 1);
        long inputs = mask + r.microBatch() * 4L * rows * p.embedding();
        if (!cpuExperts || offloads(p, r)) {
            return inputs;
        }
        long tokenExperts = r.microBatch() * 4L * p.expertsUsed();
        long gateUp = tokenExperts * p.expertFeedForward();
        return Math.max(inputs, mask + tokenExperts * p.embedding() + (gateUp > mask ? gateUp : 0));
    }

    /** Mainline runs a DSA model's lightning indexer (a cache and a mask of its own); ik_llama.cpp only with --dsa. */
    private static boolean sparseIndexer(ModelProfile p, LlamaServerFlavor flavor) {
        return flavor == LlamaServerFlavor.LLAMA_CPP && p.indexerKeyLength() > 0;
    }

    /** The f16 mask flash attention reads: one value per token of the micro-batch and cell of the context. */
    private static long attentionMask(PlacementRequest r) {
        return (long) r.microBatch() * r.contextLength() * 2;
    }
}
