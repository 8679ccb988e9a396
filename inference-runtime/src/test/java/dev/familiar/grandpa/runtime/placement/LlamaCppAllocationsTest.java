package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.aggregator.AggregateWith;
import org.junit.jupiter.params.aggregator.ArgumentsAccessor;
import org.junit.jupiter.params.aggregator.ArgumentsAggregator;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The planner's estimates against what llama-server itself (ik_llama.cpp's and mainline llama.cpp's) logged on
 * the H200 machine for the same shapes ({@code scripts/compute-buffers/}): its compute buffers on the GPU and in pinned host memory,
 * the weights it put on the GPU and its KV cache, each within the 10 % the placement needs.
 */
class LlamaCppAllocationsTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} ctx {1} -ub {2} experts {3} fa {4} kv {5} {6}: {7} {8} MiB")
    @CsvFileSource(resources = "/placement/ik_llama-h200.csv", useHeadersInDisplayName = true)
    void theEstimateIsWithinTenPercentOfWhatIkLlamaServerAllocated(@AggregateWith(Row.Read.class) Row row) {
        check(LlamaServerFlavor.IK_LLAMA_CPP, row);
    }

    /**
     * Mainline llama.cpp's own lines. Its terms were read off the ctx 65,536 rows with an f16 cache (every
     * micro-batch, experts on the GPU and on the CPU) and the q8_0 row at -ub 512 with the experts on the GPU;
     * the other contexts, the half split and the other q8_0 rows are the check.
     */
    @ParameterizedTest(name = "{0} ctx {1} -ub {2} experts {3} fa {4} kv {5} {6}: {7} {8} MiB")
    @CsvFileSource(resources = "/placement/llama_cpp-h200.csv", useHeadersInDisplayName = true)
    void theEstimateIsWithinTenPercentOfWhatMainlineLlamaServerAllocated(@AggregateWith(Row.Read.class) Row row) {
        check(LlamaServerFlavor.LLAMA_CPP, row);
    }

    /**
     * Mainline llama.cpp on the seed's other shapes, with its automatic {@code --parallel}. Qwen3.5's hybrid (Gated
     * DeltaNet layers beside full attention): the terms new for it (the recurrent state of its sequences, gate and up
     * copied over together, the down outputs beside a quantized cache's attention) were read off the -ub 512 and 4096
     * rows with an f16 cache and the q8_0 row at ctx 65,536, -ub 512, experts on the GPU; the -ub 1024 and 2048 rows
     * and the other q8_0 rows are the check. GLM-5.1 (MLA, the DSA indexer, a NextN block it does not load): the
     * indexer's keys in the KV cache and its second mask were read off ctx 16,384, f16, experts on the GPU, the sparse
     * attention's 11.5 bytes a cell off ctx 131,072, -ub 512, f16, GPU, and with a q8_0 cache its 12 bytes a cell
     * (ctx 131,072, -ub 512, GPU) and its five rows of the heads' latent (ctx 16,384, -ub 2048 and 4096, GPU); every
     * other row (experts on the CPU, half of them, the other micro-batches) is the check.
     */
    @ParameterizedTest(name = "{0} ctx {1} -ub {2} experts {3} fa {4} kv {5} {6}: {7} {8} MiB")
    @CsvFileSource(resources = {"/placement/llama_cpp-qwen35moe-h200.csv", "/placement/llama_cpp-glm-dsa-h200.csv"},
            useHeadersInDisplayName = true)
    void theEstimateIsWithinTenPercentOfWhatMainlineAllocatedForQwen35AndGlm(@AggregateWith(Row.Read.class) Row row) {
        check(LlamaServerFlavor.LLAMA_CPP, row);
    }

    /**
     * ik_llama.cpp's KV cache for the GLM-5.1 and Qwen3.5 shapes (its MLA latent and f16 indexer keys; attention beside
     * the recurrent state), from a build without CUDA: none of these rows was fitted.
     */
    @ParameterizedTest(name = "{0} ctx {1} -ub {2} experts {3} fa {4} kv {5} {6}: {7} {8} MiB")
    @CsvFileSource(resources = "/placement/ik_llama-kv-cpu.csv", useHeadersInDisplayName = true)
    void theKvCacheIsWithinTenPercentOfWhatIkLlamaServerAllocatedForGlmAndQwen35(
            @AggregateWith(Row.Read.class) Row row) {
        check(LlamaServerFlavor.IK_LLAMA_CPP, row);
    }

    /**
     * ik_llama.cpp's own lines for the seed's GLM-5.1 and Qwen3.5 shapes (one sequence, its default; -amb 256 unless
     * the flags say 512, as grandpa launches it). GLM's MLA attention was read off its -ub 512 rows with the experts
     * on the GPU (ctx 16,384, 65,536 and 131,072, the two -amb; with the -ub 512 rows of a build without CUDA), the
     * CPU's share of experts ik runs itself off the -ub 512 rows with them on the CPU, the hybrid's three expert
     * tensors copied at once off Qwen3.5's -ub 4096 rows with them on the CPU; every other row is the check, and so
     * is every buffer llama-sweep-bench logged while measuring speed (8-block GLM and Qwen3-30B-A3B shapes).
     */
    @ParameterizedTest(name = "{0} ctx {1} -ub {2} experts {3} fa {4} kv {5} {6}: {7} {8} MiB")
    @CsvFileSource(resources = {"/placement/ik_llama-seed-shapes-h200.csv", "/placement/ik_llama-sweep-bench-h200.csv"},
            useHeadersInDisplayName = true)
    void theEstimateIsWithinTenPercentOfWhatIkLlamaServerAllocatedForGlmAndQwen35(
            @AggregateWith(Row.Read.class) Row row) {
        check(LlamaServerFlavor.IK_LLAMA_CPP, row);
    }

    /**
     * ik_llama.cpp's MLA attention of a prompt (decompressed heads under -amb) against a build without CUDA, whose
     * compute buffer peaks there at these points; the rows at -amb 1024 and -ub 1024 and 2048 were not fitted.
     */
    @ParameterizedTest(name = "{0} ctx {1} -ub {2} {6}: {8} MiB")
    @CsvFileSource(resources = "/placement/ik_llama-mla-cpu.csv", useHeadersInDisplayName = true)
    void ikLlamaCppsMlaAttentionIsWithinTenPercentOfItsBuildWithoutCuda(@AggregateWith(Row.Read.class) Row row) {
        var request = row.request(LlamaServerFlavor.IK_LLAMA_CPP, new Strategy.CpuLayers(0));
        double estimate = ComputeBuffers.mlaAttention(MeasuredShapes.profile(dir, row.model()), request) / (double) MIB;
        assertThat(estimate).as("MLA attention in MiB").isCloseTo(row.mib(), withinPercentage(10));
    }

    private static void check(LlamaServerFlavor flavor, Row row) {
        // grandpa always launches with flash attention (llama.cpp -fa on; ik_llama.cpp's default): the
        // rows without it are kept as measured, their KQ matrix is not part of the estimate
        String buffer = row.buffer();
        if (row.flashAttention().equals("off") && !buffer.equals("CUDA0 weights") && !buffer.equals("KV cache")) {
            return;
        }
        ModelProfile profile = MeasuredShapes.profile(dir, row.model());
        int layers = profile.expertLayers().size();
        var strategy = new Strategy.CpuLayers(switch (row.experts()) {
            case "gpu" -> 0;
            case "cpu" -> layers;
            case "half" -> layers / 2;
            default -> Integer.parseInt(row.experts().replace("cpu ", "")); // "cpu N": that many layers' experts
        });
        var plan = PlacementPlanner.plan(profile, row.request(flavor, strategy));
        MemoryEstimate gpu = plan.devices().getFirst();

        long estimate = switch (buffer) {
            case "CUDA0" -> gpu.compute();
            case "CUDA_Host" -> plan.host().compute();
            case "CUDA0 weights" -> gpu.weights() + gpu.experts();
            case "KV cache" -> gpu.kvCache();
            default -> throw new IllegalArgumentException(buffer);
        };
        assertThat(estimate / (double) MIB).as("%s estimate in MiB", buffer).isCloseTo(row.mib(), withinPercentage(10));
    }

    /**
     * One line of the measurements' CSV files. Its flags name the server's {@code --parallel} (mainline's automatic
     * 4, else 1) or ik_llama.cpp's {@code -amb} (else its default, 256).
     */
    record Row(String model, int context, int ubatch, String experts, String flashAttention, String kvType,
               String flags, String buffer, double mib) {
        int parallel() {
            return flag("parallel ", 1);
        }

        int attentionMaxBatch() {
            return flag("-amb ", 256);
        }

        private int flag(String name, int otherwise) {
            Matcher m = Pattern.compile(Pattern.quote(name) + "(\\d+)").matcher(flags == null ? "" : flags);
            return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
        }

        PlacementRequest request(LlamaServerFlavor flavor, Strategy strategy) {
            return new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139 * GIB)), 128 * GIB, context,
                    kvType.equals("q8_0") ? GgmlType.Q8_0 : GgmlType.F16, 4096, ubatch, parallel(), strategy, 0, 1.5e12,
                    GIB, flavor, attentionMaxBatch());
        }

        static final class Read implements ArgumentsAggregator {
            @Override
            public Row aggregateArguments(ArgumentsAccessor a, ParameterContext context) {
                return new Row(a.getString(0), a.getInteger(1), a.getInteger(2), a.getString(3), a.getString(4),
                        a.getString(5), a.getString(6), a.getString(7), a.getDouble(8));
            }
        }
    }
}
