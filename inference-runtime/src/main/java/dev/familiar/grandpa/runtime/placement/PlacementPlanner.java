package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.profile.LayerKind;
import dev.familiar.grandpa.runtime.profile.LayerProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Decides which expert layers live on which GPU and estimates every device's buffers. Layers (their
 * attention, norms, shared experts and KV cache) are split over the GPUs in order and in proportion
 * to their budgets, as llama.cpp splits them; an expert layer placed on a GPU goes to the GPU that
 * holds its layer, so no token crosses between GPUs more than the layer split already makes it.
 */
public final class PlacementPlanner {
    /** ik_llama.cpp's {@code -amb 512}: the attention buffer is capped at 512 MiB. */
    static final long ATTENTION_BUFFER = 512L << 20;
    /** Kernel launch and synchronisation time per layer per token, from our H100 runs (≈3.7 ms / 48 layers). */
    static final double GPU_MS_PER_LAYER = 0.07;

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
        long kvPerElement = request.cacheType().typeSize();
        int kvBlock = request.cacheType().blockSize();
        var devices = new ArrayList<MemoryEstimate>();
        var problems = new ArrayList<String>();
        String outputGpu = request.gpus().getLast().name();
        for (DeviceBudget gpu : request.gpus()) {
            long weights = 0, experts = 0, kvElements = 0;
            boolean cpuExpertsHere = false;
            for (LayerProfile l : layers) {
                if (!gpu.name().equals(layerGpu.get(l.index()))) {
                    continue;
                }
                weights += l.otherBytes() + l.sharedExpertBytes();
                if (l.kind() != LayerKind.MOE) {
                    weights += l.expertBytes();
                }
                kvElements += l.kvElementsPerToken();
                cpuExpertsHere |= PlacementPlan.CPU.equals(expertDevice.get(l.index()));
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
            long kv = kvElements * request.contextLength() / kvBlock * kvPerElement;
            long compute = computeBuffer(profile, request, holdsOutput, cpuExpertsHere);
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
        var host = new MemoryEstimate(PlacementPlan.CPU, hostWeights, pinned, 0, 0, request.hostRam());
        if (!host.fits()) {
            problems.add("the host needs " + Sizes.gib(host.total()) + " (pinned experts " + Sizes.gib(pinned) + ") but has "
                    + Sizes.gib(request.hostRam()));
        }
        return new PlacementPlan(request, expertDevice, layerGpu, devices, host, problems,
                predict(profile, request, layers, expertDevice, devices));
    }

    /**
     * An estimate of llama.cpp's compute buffer: activations for a micro-batch, the logits on the GPU
     * with the output head, the attention buffer, and, where CPU experts are copied over for large
     * batches, room for the largest expert tensor. It grows with {@code -ub}, which is why a large
     * micro-batch must be counted before it is chosen.
     */
    static long computeBuffer(ModelProfile p, PlacementRequest r, boolean holdsOutput, boolean cpuExperts) {
        long ub = r.microBatch();
        long activations = ub * 4L * (p.embedding() * 4 + (long) p.expertsUsed() * p.expertFeedForward() * 2);
        long logits = holdsOutput ? ub * 4L * p.vocabulary() : 0;
        long offload = cpuExperts && ub >= 32 ? p.largestExpertTensor() : 0;
        return activations + logits + offload + ATTENTION_BUFFER;
    }

    private static SpeedPrediction predict(ModelProfile profile, PlacementRequest request, List<LayerProfile> layers,
                                           Map<Integer, String> expertDevice, List<MemoryEstimate> devices) {
        if (request.hostBandwidth() <= 0) {
            return null;
        }
        double hostBytes = 0, gpuBytes = 0;
        for (LayerProfile l : profile.expertLayers()) {
            double active = profile.activeExpertBytes(l);
            if (PlacementPlan.CPU.equals(expertDevice.get(l.index()))) {
                hostBytes += active;
            } else {
                gpuBytes += active;
            }
        }
        gpuBytes += devices.stream().mapToLong(MemoryEstimate::weights).sum();
        double hostMs = hostBytes / request.hostBandwidth() * 1000;
        double gpuMs = gpuBytes / request.gpuBandwidth() * 1000 + layers.size() * GPU_MS_PER_LAYER;
        return new SpeedPrediction(1000 / (hostMs + gpuMs), hostMs, gpuMs, hostBytes, request.hostBandwidth());
    }
}
