package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The planner's speed predictions against what llama-bench measured on the H200 machine for the same shape and
 * placement ({@code scripts/speed/}): prompt processing by micro-batch, pinned or mapped host memory and layers
 * of experts on the CPU, and generation, each within 10 %. The rows the constants were read off ({@code fit})
 * and the held-out ones ({@code check}) are named apart in each test's name (BENCHMARKS.md has each difference);
 * the {@code miss} rows are where the planner is known to be more than 10 % off, held there so that a better model
 * shows up as a change here. Shapes: Qwen3-30B-A3B's (the fit), Qwen3.5's and GLM-5.1's widths in a few layers.
 */
class MeasuredSpeedTest {
    static final long GIB = 1L << 30;
    /** The H200 machine's host memory read bandwidth, as its generation at 24 layers on the CPU shows (a fit row). */
    static final double HOST_BANDWIDTH = 55.7e9;
    /** The H200's memory bandwidth, as NVIDIA states it. */
    static final double GPU_BANDWIDTH = 4.8e12;

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{7}: {0} -ncmoe {1} {2} -ub {3} pp {4} tg {5}: {6} tokens/s")
    @CsvFileSource(resources = "/placement/speed-llama_cpp-h200.csv", useHeadersInDisplayName = true)
    void theSpeedPredictedForAPlacementIsWithinTenPercentOfWhatLlamaBenchMeasured(String name, int cpuLayers,
                                                                                 String memory, int ubatch, int prompt,
                                                                                 int generated, double measured,
                                                                                 String use) {
        var request = new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139 * GIB)), 128 * GIB, 4096, GgmlType.F16,
                4096, ubatch, 1, new Strategy.CpuLayers(cpuLayers), HOST_BANDWIDTH, GPU_BANDWIDTH, GIB,
                LlamaServerFlavor.LLAMA_CPP);
        SpeedPrediction predicted = PlacementPlanner.plan(MeasuredShapes.profile(dir, name), request).prediction();
        double tokensPerSecond = generated > 0 ? predicted.tokensPerSecond() : predicted.prompt().stream()
                .filter(p -> p.tokens() == prompt).findFirst().map(p -> memory.equals("pinned")
                        ? p.pinnedTokensPerSecond() : p.mappedTokensPerSecond()).orElseThrow();
        var difference = assertThat(tokensPerSecond).as("%s row: predicted %.1f tokens/s, %+.1f %% off", use,
                tokensPerSecond, (tokensPerSecond / measured - 1) * 100);
        if (use.equals("miss")) {
            difference.isNotCloseTo(measured, withinPercentage(10));
        } else {
            difference.isCloseTo(measured, withinPercentage(10));
        }
    }
}
