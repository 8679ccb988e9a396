package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.supervise.LogDigest;
import dev.familiar.grandpa.runtime.supervise.ServerTimings;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan's speed against the timings a server logs after each request, as the supervisor and {@code placement
 * --verify-log} read them: mainline's lines (each with its slot's prefix, {@code tools/server/server-context.cpp} of
 * d32676d77) and ik_llama.cpp's (one log call, the generation line without a prefix, 8337e4cd3).
 */
class SpeedAgainstTimingsTest {
    @TempDir
    static Path dir;

    static String mainline(double promptMs, int promptTokens, double evalMs, int generated) {
        return String.format(Locale.ROOT, """
                slot print_timing: id  0 | task 12 | prompt eval time = %10.2f ms / %5d tokens (%8.2f ms per token, %8.2f tokens per second)
                slot print_timing: id  0 | task 12 |        eval time = %10.2f ms / %5d tokens (%8.2f ms per token, %8.2f tokens per second)
                slot print_timing: id  0 | task 12 |       total time = %10.2f ms / %5d tokens
                """, promptMs, promptTokens, promptMs / promptTokens, promptTokens * 1000 / promptMs, evalMs, generated,
                evalMs / generated, generated * 1000 / evalMs, promptMs + evalMs, promptTokens + generated);
    }

    static LogDigest read(String log) {
        var digest = new LogDigest(10);
        log.lines().forEach(digest::accept);
        return digest;
    }

    @Test
    void theFastestLongEnoughPromptAndAnswerAreTakenFromEitherServersLines() {
        // a short request first (fast, but what the rate of 6 tokens says is mostly overhead), then a cold long one,
        // then a warm one, then one deep into the context (slower again)
        var digest = read(mainline(1, 6, 1, 3) + mainline(1000, 2048, 2000, 40) + mainline(800, 2048, 1600, 40)
                + mainline(1000, 1024, 3000, 64));
        assertThat(digest.timings().prompt()).isEqualTo(new ServerTimings.Rate(2048, 2560.0));
        assertThat(digest.timings().generation()).isEqualTo(new ServerTimings.Rate(40, 25.0));

        var ik = read("""
                INFO [print_timings] slot 0 | tid="1" timestamp=1 id_slot=0 id_task=7 |
                prompt eval time =    3572.00 ms /  2048 tokens (    1.74 ms per token,   573.35 tokens per second)
                       eval time =    7150.00 ms /   128 tokens (   55.86 ms per token,    17.90 tokens per second)
                      total time =   10722.00 ms /  2176 tokens
                """);
        assertThat(ik.timings().prompt().tokensPerSecond()).isCloseTo(573.35, within(0.01));
        assertThat(ik.timings().generation().tokensPerSecond()).isCloseTo(17.90, within(0.01));

        ik.restarted(); // a new process: its own first requests count
        assertThat(ik.timings()).isEqualTo(ServerTimings.NONE);
    }

    @Test
    void aSpeedMoreThanTenPercentOffThePlanIsAWarningEitherWay() {
        var profile = MeasuredShapes.profile(dir, "qwen3moe-30b-a3b");
        var request = new PlacementRequest(List.of(new DeviceBudget("CUDA0", 139L << 30)), 128L << 30, 4096, GgmlType.F16,
                4096, 4096, 1, new Strategy.CpuLayers(24), 53.8e9, 4.8e12, 1L << 30, LlamaServerFlavor.LLAMA_CPP);
        SpeedPrediction predicted = PlacementPlanner.plan(profile, request).prediction();
        double prompt = predicted.promptSpeed().tokensPerSecond(2048, true);
        double generation = predicted.serverTokensPerSecond(); // what a server's timings are held to
        assertThat(generation).isCloseTo(1000 / (1000 / predicted.tokensPerSecond() + 1.4), within(1e-9));

        var near = SpeedCheck.of(predicted, ServerTimings.of(2048, 2048 * 1000 / (prompt * 0.95), 64, 64 * 1000 / (generation * 1.08)));
        assertThat(near).extracting(SpeedCheck::what).containsExactly("prompt", "generation");
        assertThat(near).noneMatch(SpeedCheck::warning);
        assertThat(near.get(0).differencePercent()).isCloseTo(-5, within(0.01));
        assertThat(near.get(1).differencePercent()).isCloseTo(8, within(0.01));

        var off = SpeedCheck.of(predicted, ServerTimings.of(2048, 2048 * 1000 / (prompt * 1.2), 64, 64 * 1000 / (generation * 0.85)));
        assertThat(off).allMatch(SpeedCheck::warning);
        assertThat(off.get(0).predicted()).isEqualTo(prompt);
        assertThat(off.get(1).measured()).isCloseTo(generation * 0.85, within(1e-9));

        // nothing long enough yet, or nothing planned: nothing to compare
        assertThat(SpeedCheck.of(predicted, ServerTimings.of(100, 50, 4, 100))).isEmpty();
        assertThat(SpeedCheck.of(predicted, ServerTimings.of(2048, 0, 64, 0))).isEmpty(); // no time: no rate
        assertThat(SpeedCheck.of(null, ServerTimings.of(2048, 1000, 64, 1000))).isEmpty();
    }
}
