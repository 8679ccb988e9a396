package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The planner's speed predictions against what mainline's llama-bench and ik_llama.cpp's llama-sweep-bench measured
 * on the H200 machine for the same shape and placement ({@code scripts/speed/}, {@code scripts/h200/run.sh}): prompt
 * processing by micro-batch, pinned or mapped host memory and layers of experts on the CPU, and generation, each
 * within 10 %. The rows the constants were read off ({@code fit})
 * and the held-out ones ({@code check}) are named apart in each test's name (BENCHMARKS.md has each difference);
 * the {@code miss} rows are where the planner is known to be more than 10 % off, held there so that a better model
 * shows up as a change here. Shapes: Qwen3-30B-A3B's (the fit), Qwen3.5's and GLM-5.1's widths in a few layers.
 */
class MeasuredSpeedTest {
    static final long GIB = 1L << 30;
    /**
     * The first lease's host memory read bandwidth, as its qwen3moe generation shows; every row names its own lease's
     * (host_gbps: 53.8 to 73.1 GB/s on machines of the same kind).
     */
    static final double HOST_BANDWIDTH = 53.8e9;
    /** The H200's memory bandwidth, as NVIDIA states it. */
    static final double GPU_BANDWIDTH = 4.8e12;

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{8}: {0} -ncmoe {1} {2} -ub {3} pp {4} at depth {5} tg {6}: {7} tokens/s, host {9} GB/s")
    @CsvFileSource(resources = "/placement/speed-llama_cpp-h200.csv", useHeadersInDisplayName = true)
    void theSpeedPredictedForAPlacementIsWithinTenPercentOfWhatLlamaBenchMeasured(String name, int cpuLayers,
                                                                                 String memory, int ubatch, int prompt,
                                                                                 int depth, int generated,
                                                                                 double measured, String use,
                                                                                 double hostGbps) {
        check(LlamaServerFlavor.LLAMA_CPP, name, cpuLayers, memory, ubatch, prompt, depth, generated, measured, use,
                hostGbps * 1e9);
    }

    @ParameterizedTest(name = "{8}: {0} --n-cpu-moe {1} -ub {3} pp {4} at depth {5} tg {6}: {7} tokens/s, host {9} GB/s")
    @CsvFileSource(resources = "/placement/speed-ik_llama-h200.csv", useHeadersInDisplayName = true)
    void theSpeedPredictedUnderIkLlamaCppIsWithinTenPercentOfWhatItsSweepBenchMeasured(String name, int cpuLayers,
                                                                                      String memory, int ubatch,
                                                                                      int prompt, int depth,
                                                                                      int generated, double measured,
                                                                                      String use, double hostGbps) {
        check(LlamaServerFlavor.IK_LLAMA_CPP, name, cpuLayers, memory, ubatch, prompt, depth, generated, measured, use,
                hostGbps * 1e9);
    }

    private static void check(LlamaServerFlavor flavor, String name, int cpuLayers, String memory, int ubatch,
                              int prompt, int depth, int generated, double measured, String use,
                              double hostBandwidth) {
        ModelProfile profile = MeasuredShapes.profile(dir, name);
        // mainline's --n-cpu-moe N keeps the first N layers' experts on the CPU, ik_llama.cpp's the last N
        Strategy placement = flavor == LlamaServerFlavor.LLAMA_CPP ? new Strategy.CpuLayers(cpuLayers)
                : new Strategy.HeadTail(profile.expertLayers().size() - cpuLayers, 0);
        var request = new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139 * GIB)), 128 * GIB, 4096, GgmlType.F16,
                4096, ubatch, 1, placement, hostBandwidth, GPU_BANDWIDTH, GIB, flavor);
        SpeedPrediction predicted = PlacementPlanner.plan(profile, request).prediction();
        double tokensPerSecond = generated > 0 ? predicted.tokensPerSecond()
                : predicted.promptSpeed().tokensPerSecond(prompt, depth, memory.equals("pinned"));
        var difference = assertThat(tokensPerSecond).as("%s row: predicted %.1f tokens/s, %+.1f %% off", use,
                tokensPerSecond, (tokensPerSecond / measured - 1) * 100);
        if (use.equals("miss")) {
            difference.isNotCloseTo(measured, withinPercentage(10));
        } else {
            difference.isCloseTo(measured, withinPercentage(10));
        }
    }
}
