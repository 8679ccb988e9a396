package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes.Qwen3Moe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --strategy auto --goal}: the micro-batch that serves the owner's goal best, within the GPU's memory. */
class MicroBatchChoiceTest {
    static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static ModelProfile model;

    @BeforeAll
    static void profile() {
        model = MeasuredShapes.profile(dir, Qwen3Moe.A3B.name());
    }

    /** Qwen3-30B-A3B's shape on a GPU that holds about half its experts at a 64k context. */
    static PlacementRequest tight() {
        return new PlacementRequest(List.of(new DeviceBudget("CUDA0", 24 * GIB)), 128 * GIB, 65536, GgmlType.Q8_0, 4096,
                4096, 1, new Strategy.AutoFit(), MeasuredSpeedTest.HOST_BANDWIDTH, MeasuredSpeedTest.GPU_BANDWIDTH, GIB,
                LlamaServerFlavor.LLAMA_CPP);
    }

    static PlacementPlan at(int microBatch) {
        PlacementRequest r = tight();
        return PlacementPlanner.plan(model, new PlacementRequest(r.gpus(), r.hostRam(), r.contextLength(), r.cacheType(),
                r.batch(), microBatch, r.parallel(), r.strategy(), r.hostBandwidth(), r.gpuBandwidth(), r.reservePerGpu(),
                r.flavor()));
    }

    @Test
    void forGenerationTheMicroBatchThatLeavesTheFewestExpertLayersOnTheCpuIsChosen() {
        var choice = MicroBatchChoice.choose(model, tight(), MicroBatchChoice.Goal.named("generation"));
        // a larger micro-batch takes compute buffer from the experts: at 4096 fewer layers fit than at 512
        assertThat(at(4096).layersOn(PlacementPlan.CPU).size()).isGreaterThan(at(512).layersOn(PlacementPlan.CPU).size());
        double best = List.of(512, 1024, 2048, 4096).stream().mapToDouble(ub -> at(ub).prediction().tokensPerSecond())
                .max().orElseThrow();
        assertThat(choice.plan().prediction().tokensPerSecond()).isGreaterThan(best * 0.99);
        assertThat(choice.reason()).startsWith("micro-batch " + choice.plan().request().microBatch()
                + ": the fastest generation predicted");
        assertThat(choice.tried()).hasSize(4).allSatisfy(t -> assertThat(t).contains("expert layers on the GPUs"));
    }

    @Test
    void forALongPromptTheLargestMicroBatchWinsThoughItLeavesALayerMoreOnTheCpu() {
        var choice = MicroBatchChoice.choose(model, tight(), MicroBatchChoice.Goal.named("prompt:8192"));
        assertThat(choice.plan().request().microBatch()).isEqualTo(4096);
        assertThat(choice.plan().prediction().promptSpeed().tokensPerSecond(8192, true))
                .isGreaterThan(2 * at(512).prediction().promptSpeed().tokensPerSecond(8192, true));
        assertThat(choice.reason()).contains("the fastest prompt processing of 8192 tokens predicted");
    }

    @Test
    void aGoalIsNamedAsOnTheCommandLine() {
        assertThat(MicroBatchChoice.Goal.named("prompt:2048")).isEqualTo(new MicroBatchChoice.Goal.Prompt(2048));
        assertThatThrownBy(() -> MicroBatchChoice.Goal.named("prompt:many")).hasMessageContaining("prompt:<tokens>");
        assertThatThrownBy(() -> MicroBatchChoice.Goal.named("speed")).hasMessageContaining("generation");
    }
}
