package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.supervise.LogDigest;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan against the lines a real server wrote for it, as the supervisor and {@code placement --verify-log} read
 * them: mainline llama.cpp's log for GLM-5.1's shape, whose KV cache comes in two lines (the MLA latent and the DSA
 * indexer's keys) and whose host holds mapped weights and a pinned compute buffer; and ik_llama.cpp's for the same
 * shape with the experts in pinned host memory, where the CPU runs them itself at -ub 512.
 */
class PlanAgainstLogTest {
    static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void theGlmPlanForMainlineAgreesWithTheServersOwnLines() throws IOException, URISyntaxException {
        var request = new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139 * GIB)), 128 * GIB, 131072, GgmlType.F16,
                4096, 2048, 4, new Strategy.CpuLayers(0), 0, 4.8e12, GIB, LlamaServerFlavor.LLAMA_CPP);
        var digest = digest("llama_cpp-glm-dsa-c131072-ub2048-gpu.txt");

        assertThat(digest.buffersMiB()).containsEntry("CUDA0 kv", 880.0);
        var checks = PlanCheck.of(PlacementPlanner.plan(glm(), request), digest.buffersMiB());
        assertThat(checks).extracting(PlanCheck::device).containsExactly("CUDA0", PlacementPlan.CPU);
        assertThat(checks).allSatisfy(c -> assertThat(c.warning()).as("%s: planned %.0f MiB, logged %.0f MiB",
                c.device(), c.plannedMiB(), c.loggedMiB()).isFalse());
        assertThat(checks.getFirst().differencePercent()).isBetween(-1.0, 1.0);
    }

    @Test
    void theGlmPlanForIkLlamaCppAgreesWithTheServersOwnLines() throws IOException, URISyntaxException {
        // ik's default -amb, as that server ran
        var request = new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139 * GIB)), 128 * GIB, 131072, GgmlType.F16,
                4096, 512, 1, new Strategy.CpuLayers(4), 0, 4.8e12, GIB, LlamaServerFlavor.IK_LLAMA_CPP, 256);
        var digest = digest("ik_llama-glm-dsa-c131072-ub512-cpu.txt");

        assertThat(digest.buffersMiB()).containsEntry("CUDA0 kv", 816.0).containsEntry("CUDA0 compute", 628.05);
        var checks = PlanCheck.of(PlacementPlanner.plan(glm(), request), digest.buffersMiB());
        assertThat(checks).extracting(PlanCheck::device).containsExactly("CUDA0", PlacementPlan.CPU);
        assertThat(checks).allSatisfy(c -> assertThat(c.differencePercent()).as("%s: planned %.0f MiB, logged %.0f MiB",
                c.device(), c.plannedMiB(), c.loggedMiB()).isBetween(-1.0, 1.0));
    }

    private ModelProfile glm() {
        return MeasuredShapes.profile(dir, "glm-dsa-6-blocks");
    }

    /** The supervisor's digest of a server's lines, kept in the tests' resources. */
    private LogDigest digest(String log) throws IOException, URISyntaxException {
        var digest = new LogDigest(10);
        Files.readAllLines(Path.of(getClass().getResource("/placement/logs/" + log).toURI())).forEach(digest::accept);
        return digest;
    }
}
