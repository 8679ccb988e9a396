package dev.familiar.grandpa.runtime.placement;

/** How routed expert layers are chosen for the GPUs; the rest stay in (pinned) host memory. */
public sealed interface Strategy {

    /** The strategy named as on the command line: {@code auto}, {@code head-tail} or {@code n-cpu-moe}. */
    static Strategy named(String name, int head, int tail, int nCpuMoe) {
        return switch (name) {
            case "head-tail" -> new HeadTail(head, tail);
            case "n-cpu-moe" -> new CpuLayers(nCpuMoe);
            case "auto" -> new AutoFit();
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "' (auto, head-tail, n-cpu-moe)");
        };
    }

    /** The seed's layout: the first {@code head} expert layers on the first GPU, the last {@code tail} on the last. */
    record HeadTail(int head, int tail) implements Strategy {}

    /** llama.cpp's {@code --n-cpu-moe N}: the experts of the first N expert layers on the CPU, the rest on GPUs. */
    record CpuLayers(int count) implements Strategy {}

    /**
     * Fill each GPU's budget with as many expert layers as fit, each from the layers that GPU already
     * holds. Count is what matters for speed (shared/context/moe-offload-measurements.md).
     */
    record AutoFit() implements Strategy {}
}
