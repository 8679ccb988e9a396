package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.profile.LayerKind;
import dev.familiar.grandpa.runtime.profile.LayerProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Decides which expert layers live on which GPU and estimates every device's buffers. Layers (their
 * attention, norms, shared experts and KV cache) are split over the GPUs in order and in proportion
 * to their budgets, as llama.cpp splits them; an expert layer placed on a GPU goes to the GPU that
 * holds its layer, so no token crosses between GPUs more than the layer split already makes it.
 */
public final class PlacementPlanner {
    /**
     * A generated token's time a layer beyond its bytes (kernel launches and synchronisation), and the GPU's expert
     * kernels' time a weight at one token (about 1e12 weights a second, slower than reading their bytes at full
     * bandwidth: 0.25 ms a layer for GLM-5.1's 8 experts of 6144 x 2048): both fitted to the whole-GPU generation of
     * qwen3moe, Qwen3.5 and GLM-5.1 shapes on the H200 under both servers (the 0.07 ms a layer of our H100 runs
     * counted qwen3moe's small experts in, and was 1.6-2.3 times short for the larger ones).
     */
    static final double GPU_MS_PER_LAYER = 0.0332;
    static final double GPU_SECONDS_PER_EXPERT_WEIGHT = 1.019e-12;
    /**
     * Architectures whose mainline graphs keep every token to the end of the last layer (to hand a multi-token
     * predictor its hidden states); elsewhere, and under ik_llama.cpp, the last layer works on the tokens with logits
     * (mainline's deepseek2 and glm-dsa keep them only while a multi-token predictor drafts, which the planned command
     * does not ask for).
     */
    private static final Set<String> MAINLINE_WHOLE_LAST_LAYER = Set.of("qwen35", "qwen35moe", "qwen3next");

    private PlacementPlanner() {}

    public static PlacementPlan plan(ModelProfile profile, PlacementRequest request) {
        if (request.gpus().isEmpty()) {
            throw new IllegalArgumentException("at least one GPU is needed (--gpu 96GiB)");
        }
        List<LayerProfile> layers = profile.layers().stream().filter(l -> l.kind() != LayerKind.NEXTN).toList();
        List<LayerProfile> experts = profile.expertLayers();
        Map<Integer, String> layerGpu;
        Map<Integer, String> expertDevice;
        switch (request.strategy()) {
            case Strategy.HeadTail ht -> {
                layerGpu = splitLayers(layers, request.gpus(), l -> 1);
                expertDevice = headTail(experts, request.gpus(), ht);
            }
            case Strategy.CpuLayers c -> {
                var onCpu = new java.util.HashSet<Integer>();
                experts.stream().limit(Math.max(0, c.count())).forEach(l -> onCpu.add(l.index()));
                // Balance what each GPU really holds: the first layers bring only their attention.
                layerGpu = splitLayers(layers, request.gpus(),
                        l -> l.bytes() - (onCpu.contains(l.index()) ? l.expertBytes() : 0));
                expertDevice = cpuLayers(experts, layerGpu, c.count());
            }
            case Strategy.AutoFit a -> {
                layerGpu = splitLayers(layers, request.gpus(), l -> 1);
                expertDevice = autoFit(profile, request, layers, experts, layerGpu);
            }
        }
        return estimate(profile, request, layers, layerGpu, expertDevice);
    }

    /** A DSA model's indexer keys for the whole context, as the request's server keeps them (0 for other models). */
    public static long indexerKeyBytes(ModelProfile profile, PlacementRequest request) {
        return profile.layers().stream().filter(l -> l.kind() != LayerKind.NEXTN)
                .mapToLong(l -> ComputeBuffers.indexerKeyBytes(profile, l, request)).sum();
    }

    /**
     * Splits the layers over the GPUs in order, so that each GPU's share of their weight is its share
     * of the budgets. A weight of 1 per layer is llama.cpp's own split by layer count.
     */
    private static Map<Integer, String> splitLayers(List<LayerProfile> layers, List<DeviceBudget> gpus,
                                                    ToLongFunction<LayerProfile> weight) {
        double totalBudget = gpus.stream().mapToLong(DeviceBudget::bytes).sum();
        double totalWeight = layers.stream().mapToLong(weight).sum();
        var split = new HashMap<Integer, String>();
        double budgetSoFar = 0;
        double weightSoFar = 0;
        int g = 0;
        budgetSoFar += gpus.getFirst().bytes();
        for (LayerProfile l : layers) {
            double w = weight.applyAsLong(l);
            // move on to the next GPU once this one's share is reached (by more than half this layer)
            while (g < gpus.size() - 1 && weightSoFar + w / 2 > totalWeight * budgetSoFar / totalBudget) {
                g++;
                budgetSoFar += gpus.get(g).bytes();
            }
            split.put(l.index(), gpus.get(g).name());
            weightSoFar += w;
        }
        return split;
    }

    private static Map<Integer, String> headTail(List<LayerProfile> experts, List<DeviceBudget> gpus, Strategy.HeadTail ht) {
        if (ht.head() < 0 || ht.tail() < 0 || ht.head() + ht.tail() > experts.size()) {
            throw new IllegalArgumentException("head " + ht.head() + " + tail " + ht.tail() + " must be within the "
                    + experts.size() + " expert layers");
        }
        var placement = new HashMap<Integer, String>();
        for (int i = 0; i < experts.size(); i++) {
            String device = i < ht.head() ? gpus.getFirst().name()
                    : i >= experts.size() - ht.tail() ? gpus.getLast().name() : PlacementPlan.CPU;
            placement.put(experts.get(i).index(), device);
        }
        return placement;
    }

    private static Map<Integer, String> cpuLayers(List<LayerProfile> experts, Map<Integer, String> layerGpu, int count) {
        if (count < 0 || count > experts.size()) {
            throw new IllegalArgumentException("--n-cpu-moe " + count + " must be within the " + experts.size() + " expert layers");
        }
        var placement = new HashMap<Integer, String>();
        for (int i = 0; i < experts.size(); i++) {
            int layer = experts.get(i).index();
            placement.put(layer, i < count ? PlacementPlan.CPU : layerGpu.get(layer));
        }
        return placement;
    }

    /** Each GPU takes expert layers from its own layer range, in order, while its budget allows. */
    private static Map<Integer, String> autoFit(ModelProfile profile, PlacementRequest request, List<LayerProfile> layers,
                                                List<LayerProfile> experts, Map<Integer, String> layerGpu) {
        var placement = new HashMap<Integer, String>();
        experts.forEach(e -> placement.put(e.index(), PlacementPlan.CPU));
        // Start from everything on the CPU: the base cost of each GPU includes the offload buffer.
        var base = estimate(profile, request, layers, layerGpu, placement);
        for (MemoryEstimate gpu : base.devices()) {
            long free = gpu.budget() - request.reservePerGpu() - gpu.total();
            for (LayerProfile e : experts) {
                if (gpu.device().equals(layerGpu.get(e.index())) && e.expertBytes() <= free) {
                    placement.put(e.index(), gpu.device());
                    free -= e.expertBytes();
                }
            }
        }
        return placement;
    }

    static PlacementPlan estimate(ModelProfile profile, PlacementRequest request, List<LayerProfile> layers,
                                  Map<Integer, String> layerGpu, Map<Integer, String> expertDevice) {
        var devices = new ArrayList<MemoryEstimate>();
        var problems = new ArrayList<String>();
        String outputGpu = request.gpus().getLast().name();
        for (DeviceBudget gpu : request.gpus()) {
            long weights = 0, experts = 0, kvBytes = 0, stateBytes = 0;
            boolean gpuExpertsHere = false;
            long copiedHere = -1; // the most expert bytes this GPU copies from the CPU at once; -1: none
            long copiedTensor = 0; // the largest one expert tensor of those
            for (LayerProfile l : layers) {
                if (!gpu.name().equals(layerGpu.get(l.index()))) {
                    continue;
                }
                weights += l.otherBytes() + l.sharedExpertBytes();
                if (l.kind() != LayerKind.MOE) {
                    weights += l.expertBytes();
                }
                kvBytes += ComputeBuffers.kvCacheBytes(profile, l, request);
                stateBytes += l.stateBytes();
                if (l.kind() == LayerKind.MOE && PlacementPlan.CPU.equals(expertDevice.get(l.index()))) {
                    // the fused gate/up op needs both at once; down comes after they are freed
                    copiedHere = Math.max(copiedHere, Math.max(l.gateBytes() + l.upBytes(), l.downBytes()));
                    copiedTensor = Math.max(copiedTensor, Math.max(Math.max(l.gateBytes(), l.upBytes()), l.downBytes()));
                } else if (l.kind() == LayerKind.MOE) {
                    gpuExpertsHere = true;
                }
            }
            for (LayerProfile l : layers) {
                if (gpu.name().equals(expertDevice.get(l.index()))) {
                    experts += l.expertBytes();
                }
            }
            boolean holdsOutput = gpu.name().equals(outputGpu);
            if (holdsOutput) {
                weights += profile.outputBytes();
            }
            // the recurrent state, beside the KV cache: per sequence, whatever the context (llama.cpp's "RS buffer")
            long kv = kvBytes + stateBytes * request.parallel();
            long compute = ComputeBuffers.gpu(profile, request, holdsOutput, copiedHere, copiedTensor, gpuExpertsHere);
            var estimate = new MemoryEstimate(gpu.name(), weights, experts, kv, compute, gpu.bytes());
            devices.add(estimate);
            long usable = gpu.bytes() - request.reservePerGpu();
            if (estimate.total() > usable) {
                long over = estimate.total() - usable;
                // moving expert layers helps only as far as this GPU holds experts
                long layersToMove = experts < over ? 0
                        : (long) Math.ceil((double) over / profile.expertLayers().getFirst().expertBytes());
                problems.add(String.format(Locale.ROOT,
                        "%s needs %s (weights %s, experts %s, KV cache %s, compute %s) but %s of it may be used; %s",
                        gpu.name(), Sizes.gib(estimate.total()), Sizes.gib(weights), Sizes.gib(experts), Sizes.gib(kv), Sizes.gib(compute), Sizes.gib(usable),
                        layersToMove > 0 ? "move " + layersToMove + " expert layer(s) to the CPU (the auto strategy does)"
                                : "lower the context, the micro-batch or the KV cache type"));
            }
        }
        long pinned = layers.stream().filter(l -> PlacementPlan.CPU.equals(expertDevice.get(l.index())))
                .mapToLong(LayerProfile::expertBytes).sum();
        long hostWeights = profile.nonLayerBytes() - profile.outputBytes();
        var host = new MemoryEstimate(PlacementPlan.CPU, hostWeights, pinned, 0,
                ComputeBuffers.host(profile, request, pinned > 0), request.hostRam());
        if (!host.fits()) {
            problems.add("the host needs " + Sizes.gib(host.total()) + " (pinned experts " + Sizes.gib(pinned) + ") but has "
                    + Sizes.gib(request.hostRam()));
        }
        return new PlacementPlan(request, expertDevice, layerGpu, devices, host, problems,
                predict(profile, request, layers, expertDevice, devices));
    }

    private static SpeedPrediction predict(ModelProfile profile, PlacementRequest request, List<LayerProfile> layers,
                                           Map<Integer, String> expertDevice, List<MemoryEstimate> devices) {
        if (request.hostBandwidth() <= 0) {
            return null;
        }
        double hostBytes = 0, gpuBytes = 0, hostExperts = 0;
        ExpertWeights batchHostExperts = ExpertWeights.NONE, gpuExperts = ExpertWeights.NONE;
        List<LayerProfile> expertLayers = profile.expertLayers();
        boolean lastLayerIdle = request.flavor() != LlamaServerFlavor.LLAMA_CPP
                || !MAINLINE_WHOLE_LAST_LAYER.contains(profile.architecture());
        for (LayerProfile l : expertLayers) {
            double active = profile.activeExpertBytes(l);
            var experts = new ExpertWeights(l.expertBytes(), profile.expertWeightsPerLayer());
            if (PlacementPlan.CPU.equals(expertDevice.get(l.index()))) {
                hostBytes += active;
                hostExperts += l.expertBytes();
                // a prompt's batches copy and work through no expert of an idle last layer
                if (!lastLayerIdle || l != expertLayers.getLast()) {
                    batchHostExperts = batchHostExperts.plus(experts);
                }
            } else {
                gpuBytes += active;
                gpuExperts = gpuExperts.plus(experts);
            }
        }
        long gpuWeights = devices.stream().mapToLong(MemoryEstimate::weights).sum();
        gpuBytes += gpuWeights;
        double hostMs = hostBytes / request.hostBandwidth() * 1000;
        double gpuMs = gpuBytes / request.gpuBandwidth() * 1000 + layers.size() * GPU_MS_PER_LAYER
                + gpuExperts.weights() * profile.expertShare() * GPU_SECONDS_PER_EXPERT_WEIGHT * 1000;
        // the batch from which the GPU runs the host's experts (with none there, any batch of 32 runs on the GPUs)
        int offloadBatch = hostExperts > 0 ? ComputeBuffers.offloadBatch(profile, request.flavor())
                : ComputeBuffers.OFFLOAD_MIN_BATCH;
        return new SpeedPrediction(1000 / (hostMs + gpuMs), hostMs, gpuMs, hostBytes, request.hostBandwidth(),
                new PromptSpeed(request.contextLength(), request.microBatch(), profile.expertShare(),
                        batchHostExperts, gpuExperts, gpuWeights - profile.outputBytes(),
                        PromptSpeed.attentionPairSeconds(profile, request.flavor()), request.hostBandwidth(), offloadBatch,
                        request.flavor()));
    }
}
