package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.launch.LaunchCommand;
import dev.familiar.grandpa.runtime.launch.LaunchOptions;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.profile.LayerProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfiler;
import dev.familiar.grandpa.runtime.testing.ShapedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementPlannerTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final List<DeviceBudget> TWO_GPUS = List.of(new DeviceBudget("CUDA0", 96 * GIB), new DeviceBudget("CUDA1", 96 * GIB));

    @TempDir
    static Path dir;
    static ModelProfile glm;
    static ModelProfile qwen;

    @BeforeAll
    static void profile() {
        glm = ModelProfiler.profile(GgufReader.readModel(ShapedModels.glm51(dir, 8, false)));
        qwen = ModelProfiler.profile(GgufReader.readModel(ShapedModels.qwen35(dir, 1)));
    }

    static PlacementRequest request(Strategy strategy) {
        return PlacementRequest.defaults(TWO_GPUS, 768 * GIB, 65536, strategy);
    }

    @Test
    void theSeedsHeadAndTailLayoutPuts19LayersOnGpusAnd56OnTheHost() {
        var plan = PlacementPlanner.plan(glm, request(new Strategy.HeadTail(15, 4)));

        assertThat(plan.layersOn("CUDA0")).containsExactlyElementsOf(IntStream.rangeClosed(3, 17).boxed().toList());
        assertThat(plan.layersOn("CUDA1")).containsExactly(74, 75, 76, 77);
        assertThat(plan.layersOn("CPU")).hasSize(56);
        assertThat(plan.gpuExpertBytes()).isEqualTo(77_672 * MIB);
        assertThat(plan.host().experts()).isEqualTo(228_928 * MIB);
        assertThat(plan.devices().getFirst().experts()).isEqualTo(15 * 4088 * MIB);
        assertThat(plan.fits()).isTrue();
        // each GPU holds the attention of the layers whose experts it holds
        assertThat(plan.layersOn("CUDA0")).allMatch(l -> plan.layerGpu().get(l).equals("CUDA0"));
        assertThat(plan.layersOn("CUDA1")).allMatch(l -> plan.layerGpu().get(l).equals("CUDA1"));
    }

    @Test
    void nCpuMoeKeepsTheFirstLayersOnTheHost() {
        var plan = PlacementPlanner.plan(qwen, request(new Strategy.CpuLayers(15)));
        assertThat(plan.layersOn("CPU")).containsExactlyElementsOf(IntStream.range(0, 15).boxed().toList());
        assertThat(plan.host().experts()).isEqualTo(55_680 * MIB);
        assertThat(plan.fits()).isTrue();
    }

    @Test
    void autoFitFillsEachGpuFromItsOwnLayersAndStaysWithinBudget() {
        var plan = PlacementPlanner.plan(glm, request(new Strategy.AutoFit()));
        assertThat(plan.fits()).isTrue();
        for (MemoryEstimate gpu : plan.devices()) {
            assertThat(gpu.total()).isLessThanOrEqualTo(gpu.budget() - GIB);
            // not even one more expert layer would have fit
            assertThat(gpu.budget() - GIB - gpu.total()).isLessThan(4088 * MIB);
        }
        var gpuLayers = plan.expertDevice().entrySet().stream().filter(e -> !e.getValue().equals("CPU")).toList();
        assertThat(gpuLayers).allMatch(e -> plan.layerGpu().get(e.getKey()).equals(e.getValue()));
        assertThat(gpuLayers.size()).isGreaterThan(19); // the seed left room on CUDA1
    }

    @Test
    void aPlanThatDoesNotFitSaysWhichDeviceAndWhy() {
        var tight = PlacementRequest.defaults(List.of(new DeviceBudget("CUDA0", 64 * GIB)), 768 * GIB, 65536,
                new Strategy.HeadTail(15, 0));
        var plan = PlacementPlanner.plan(glm, tight);
        assertThat(plan.fits()).isFalse();
        assertThat(plan.problems()).singleElement().asString().contains("CUDA0 needs", "expert layer(s) to the CPU");
        var small = PlacementRequest.defaults(List.of(new DeviceBudget("CUDA0", 24 * GIB)), 768 * GIB, 65536,
                new Strategy.HeadTail(10, 0));
        assertThat(PlacementPlanner.plan(glm, small).problems()).singleElement().asString()
                .contains("CUDA0 needs", "lower the context"); // even with no experts it would not fit
        assertThatThrownBy(() -> PlacementPlanner.plan(glm, request(new Strategy.HeadTail(70, 10))))
                .hasMessageContaining("75 expert layers");
    }

    @Test
    void theComputeBufferGrowsWithTheMicroBatch() {
        var small = seedLayout(512, 512, 0, LlamaServerFlavor.IK_LLAMA_CPP);
        var large = seedLayout(8192, 8192, 0, LlamaServerFlavor.IK_LLAMA_CPP);
        // the logits, the attention mask and the activations grow with it; the expert tensors copied from the CPU do not
        assertThat(large.devices().getLast().compute()).isGreaterThan(small.devices().getLast().compute() + GIB);
        // ik_llama.cpp copies the CPU's experts over only once each gets 32 tokens on average: GLM-5.1 uses 8 of
        // its 256, so from -ub 1024; at 512 the CPU runs them
        long gateUp = glm.layers().get(3).gateBytes() + glm.layers().get(3).upBytes();
        assertThat(small.devices().getLast().compute()).isLessThan(gateUp);
        var offloading = seedLayout(1024, 1024, 0, LlamaServerFlavor.IK_LLAMA_CPP);
        assertThat(offloading.devices().getLast().compute()).isGreaterThan(gateUp);
    }

    @Test
    void belowIkLlamaCppsThresholdTheCpuRunsTheHostsExpertsAMicroBatchAtATime() {
        var at512 = seedLayout(4096, 512, 136e9, LlamaServerFlavor.IK_LLAMA_CPP);
        var at1024 = seedLayout(4096, 1024, 136e9, LlamaServerFlavor.IK_LLAMA_CPP);
        var mainline = seedLayout(4096, 512, 136e9, LlamaServerFlavor.LLAMA_CPP);

        // 32 tokens for each of GLM-5.1's 256 experts, 8 of which a token uses
        assertThat(at512.prediction().promptSpeed().offloadBatch()).isEqualTo(1024);
        assertThat(at512.prediction().promptSpeed().cpuRunsHostExperts()).isTrue();
        // the CPU reads each expert a batch uses once, not once a token as in generation, but works through every
        // token's experts itself: faster than generating (by less than for Q4_0: IQ3_KS packs 1.3 times the weights
        // a byte, and the CPU's work goes by the weight), far slower than the GPU at -ub 1024
        assertThat(at512.prediction().prompt().getFirst().pinnedTokensPerSecond())
                .isGreaterThan(1.5 * at512.prediction().tokensPerSecond());
        assertThat(at1024.prediction().promptSpeed().cpuRunsHostExperts()).isFalse();
        assertThat(at1024.prediction().promptSpeed().tokensPerSecond(2048, true))
                .isGreaterThan(5 * at512.prediction().promptSpeed().tokensPerSecond(2048, true));
        assertThat(mainline.prediction().promptSpeed().offloadBatch()).isEqualTo(32);
        assertThat(mainline.prediction().promptSpeed().cpuRunsHostExperts()).isFalse();
    }

    @Test
    void attentionMakesALongPromptAndOneAfterALongPrefixSlower() {
        var plan = seedLayout(4096, 4096, 136e9, LlamaServerFlavor.IK_LLAMA_CPP).prediction().promptSpeed();
        // each token attends to every one before it: 8,192 tokens after 57,344 cached cost more than from the start
        assertThat(plan.tokensPerSecond(8192, 57344, true)).isLessThan(0.9 * plan.tokensPerSecond(8192, 0, true));
        assertThat(plan.tokensPerSecond(65536, true)).isLessThan(0.9 * plan.tokensPerSecond(8192, true));
        // ik_llama.cpp decompresses MLA's heads for a prompt; mainline's flash attention runs over the latent, which
        // all 64 heads share: fewer bytes a head, and its own, faster rate
        var mainline = seedLayout(4096, 4096, 136e9, LlamaServerFlavor.LLAMA_CPP).prediction().promptSpeed();
        assertThat(plan.attentionPairSeconds()).isEqualTo(2 * 78.0 * 64 * (192 + 64 + 256) / 1.13e14);
        assertThat(mainline.attentionPairSeconds()).isEqualTo(2 * 78.0 * 64 * (512 + 64 + 512) / 3.13e14);
    }

    /** The seed's GLM-5.1 layout (15 + 4 expert layers on two 96 GiB GPUs, q8_0 cache, ctx 65,536). */
    private static PlacementPlan seedLayout(int batch, int microBatch, double hostBandwidth, LlamaServerFlavor flavor) {
        return PlacementPlanner.plan(glm, new PlacementRequest(TWO_GPUS, 768 * GIB, 65536,
                dev.familiar.grandpa.runtime.gguf.GgmlType.Q8_0, batch, microBatch, 1, new Strategy.HeadTail(15, 4),
                hostBandwidth, 1.8e12, GIB, flavor));
    }

    @Test
    void predictedSpeedFollowsTheExpertBytesLeftOnTheHost() {
        var request = new PlacementRequest(TWO_GPUS, 768 * GIB, 65536, dev.familiar.grandpa.runtime.gguf.GgmlType.Q8_0,
                4096, 4096, 1, new Strategy.HeadTail(15, 4), 136e9, 1.8e12, GIB);
        var seed = PlacementPlanner.plan(glm, request);
        assertThat(seed.prediction().hostBytesPerToken()).isCloseTo(56 * 4088 * MIB * 8 / 256.0,
                org.assertj.core.data.Offset.offset(1.0));
        // the seed measured 16-19 tok/s with this layout on a host of about this bandwidth
        assertThat(seed.prediction().tokensPerSecond()).isBetween(12.0, 22.0);
        var moreOnGpu = PlacementPlanner.plan(glm, new PlacementRequest(TWO_GPUS, 768 * GIB, 65536,
                request.cacheType(), 4096, 4096, 1, new Strategy.AutoFit(), 136e9, 1.8e12, GIB));
        assertThat(moreOnGpu.prediction().tokensPerSecond()).isGreaterThan(seed.prediction().tokensPerSecond());
    }

    @Test
    void theIkCommandCarriesTheSeedsOverridesMergedAndParsesBackToThePlan() {
        var plan = PlacementPlanner.plan(glm, request(new Strategy.HeadTail(15, 4)));
        var command = LaunchCommand.of(plan, LaunchOptions.of("/models/GLM-5.1-IQ3_KS-00001-of-00008.gguf"),
                LlamaServerFlavor.IK_LLAMA_CPP);

        List<String> overrides = IntStream.range(0, command.arguments().size() - 1)
                .filter(i -> command.arguments().get(i).equals("-ot"))
                .mapToObj(i -> command.arguments().get(i + 1)).toList();
        assertThat(overrides).containsExactly(
                "blk\\.([3-9]|1[0-7])\\.ffn_(gate|up|down)_exps=CUDA0",
                "blk\\.(7[4-7])\\.ffn_(gate|up|down)_exps=CUDA1");
        assertThat(command.arguments()).contains("--cpu-moe", "-ger", "-muge", "-amb", "--warmup-batch");
        assertThat(command.text()).contains("-ot 'blk\\.([3-9]|1[0-7])\\.ffn_(gate|up|down)_exps=CUDA0'");

        var expertLayers = glm.expertLayers().stream().map(LayerProfile::index).toList();
        assertThat(LaunchCommand.expertPlacement(command.arguments(), expertLayers, plan.layerGpu()))
                .isEqualTo(plan.expertDevice());
    }

    @Test
    void theLlamaCppCommandPutsTheCpuCatchAllLastAndParsesBackToo() {
        for (Strategy strategy : List.of(new Strategy.HeadTail(15, 4), new Strategy.CpuLayers(20), new Strategy.AutoFit())) {
            var plan = PlacementPlanner.plan(glm, request(strategy));
            var command = LaunchCommand.of(plan, LaunchOptions.of("/m.gguf"), LlamaServerFlavor.LLAMA_CPP);
            assertThat(command.arguments()).doesNotContain("--cpu-moe", "-ger");
            int last = command.arguments().lastIndexOf("-ot");
            assertThat(command.arguments().get(last + 1)).isEqualTo("\\.ffn_(gate|up|down)_exps=CPU");
            var expertLayers = glm.expertLayers().stream().map(LayerProfile::index).toList();
            assertThat(LaunchCommand.expertPlacement(command.arguments(), expertLayers, plan.layerGpu()))
                    .as(strategy.toString()).isEqualTo(plan.expertDevice());
        }
    }
}
