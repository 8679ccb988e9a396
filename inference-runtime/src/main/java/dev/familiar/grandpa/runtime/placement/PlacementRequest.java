package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.util.List;

/**
 * What placement is asked for.
 *
 * @param contextLength      total context (llama-server's {@code -c}), shared by the parallel slots
 * @param hostBandwidth      host memory read bandwidth in bytes/s for the speed prediction; 0 when unknown
 * @param gpuBandwidth       GPU memory bandwidth in bytes/s
 * @param reservePerGpu      bytes kept free on each GPU (CUDA context, fragmentation)
 * @param flavor             the server that will run it: llama.cpp and ik_llama.cpp keep different compute buffers
 * @param attentionMaxBatch  ik_llama.cpp's {@code -amb} in MiB: how much of an MLA prompt's decompressed keys and
 *                           values it makes at once (its attention buffer grows with it)
 */
public record PlacementRequest(
        List<DeviceBudget> gpus,
        long hostRam,
        int contextLength,
        GgmlType cacheType,
        int batch,
        int microBatch,
        int parallel,
        Strategy strategy,
        double hostBandwidth,
        double gpuBandwidth,
        long reservePerGpu,
        LlamaServerFlavor flavor,
        int attentionMaxBatch) {

    public static final long GIB = 1L << 30;
    /** The {@code -amb} grandpa launches ik_llama.cpp with. */
    public static final int ATTENTION_MAX_BATCH = 512;

    public PlacementRequest(List<DeviceBudget> gpus, long hostRam, int contextLength, GgmlType cacheType, int batch,
                            int microBatch, int parallel, Strategy strategy, double hostBandwidth, double gpuBandwidth,
                            long reservePerGpu, LlamaServerFlavor flavor) {
        this(gpus, hostRam, contextLength, cacheType, batch, microBatch, parallel, strategy, hostBandwidth, gpuBandwidth,
                reservePerGpu, flavor, ATTENTION_MAX_BATCH);
    }

    /** For ik_llama.cpp, the seed's server. */
    public PlacementRequest(List<DeviceBudget> gpus, long hostRam, int contextLength, GgmlType cacheType, int batch,
                            int microBatch, int parallel, Strategy strategy, double hostBandwidth, double gpuBandwidth,
                            long reservePerGpu) {
        this(gpus, hostRam, contextLength, cacheType, batch, microBatch, parallel, strategy, hostBandwidth, gpuBandwidth,
                reservePerGpu, LlamaServerFlavor.IK_LLAMA_CPP);
    }

    public PlacementRequest {
        gpus = List.copyOf(gpus);
        if (microBatch > batch) {
            throw new IllegalArgumentException("the micro-batch (" + microBatch + ") cannot exceed the batch (" + batch + ")");
        }
    }

    /**
     * The defaults our measurements suggest: a large micro-batch (prompt processing up to 19x faster
     * with pinned memory), q8_0 KV cache, 1 GiB kept free per GPU.
     */
    public static PlacementRequest defaults(List<DeviceBudget> gpus, long hostRam, int contextLength, Strategy strategy) {
        return new PlacementRequest(gpus, hostRam, contextLength, GgmlType.Q8_0, 4096, 4096, 1, strategy, 0,
                1.5e12, GIB);
    }
}
