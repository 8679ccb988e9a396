package dev.familiar.grandpa.runtime.placement;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each expert layer lives, and what that costs each device.
 *
 * @param expertDevice  expert layer index → {@code CUDA0}, {@code CUDA1}, … or {@code CPU}
 * @param layerGpu      every layer's GPU (its attention and KV cache), split as llama.cpp splits layers
 * @param problems      what does not fit, and why; empty when the plan fits
 * @param prediction    null when no host bandwidth is known
 */
public record PlacementPlan(
        PlacementRequest request,
        Map<Integer, String> expertDevice,
        Map<Integer, String> layerGpu,
        List<MemoryEstimate> devices,
        MemoryEstimate host,
        List<String> problems,
        SpeedPrediction prediction) {

    public static final String CPU = "CPU";

    public PlacementPlan {
        expertDevice = new TreeMap<>(expertDevice);
        layerGpu = new TreeMap<>(layerGpu);
        devices = List.copyOf(devices);
        problems = List.copyOf(problems);
    }

    public boolean fits() {
        return problems.isEmpty();
    }

    public List<Integer> layersOn(String device) {
        return expertDevice.entrySet().stream().filter(e -> e.getValue().equals(device)).map(Map.Entry::getKey).toList();
    }

    public long gpuExpertBytes() {
        return devices.stream().mapToLong(MemoryEstimate::experts).sum();
    }
}
