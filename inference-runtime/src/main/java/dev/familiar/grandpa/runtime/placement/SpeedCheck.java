package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.supervise.ServerTimings;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan's speed against what the server then did: its fastest long enough prompt, predicted at the same number of
 * tokens (from an empty context, host memory pinned as the planned command loads it), and its fastest long enough
 * answer, as a server answers ({@link SpeedPrediction#serverTokensPerSecond}). The generation
 * prediction rests on the host's memory bandwidth, which on a shared or busy machine drifts (BENCHMARKS.md, "Speed of a
 * placement": 44 to 73 GB/s of expert reads on leases of one kind of machine), so a warning here says to measure it
 * again as much as that the model is off.
 *
 * @param what              {@code prompt} or {@code generation}
 * @param tokens            the tokens the server evaluated or generated in that request
 * @param differencePercent how far the server was from the plan, in percent of the plan (positive: faster)
 * @param warning           whether it is more than {@link PlanCheck#WARN_PERCENT} either way
 */
public record SpeedCheck(String what, int tokens, double predicted, double measured, double differencePercent,
                         boolean warning) {

    public static List<SpeedCheck> of(SpeedPrediction prediction, ServerTimings timings) {
        var checks = new ArrayList<SpeedCheck>();
        if (prediction == null) {
            return checks;
        }
        if (timings.prompt() != null) {
            int tokens = timings.prompt().tokens();
            checks.add(check("prompt", tokens, prediction.promptSpeed().tokensPerSecond(tokens, true),
                    timings.prompt().tokensPerSecond()));
        }
        if (timings.generation() != null) {
            checks.add(check("generation", timings.generation().tokens(), prediction.serverTokensPerSecond(),
                    timings.generation().tokensPerSecond()));
        }
        return checks;
    }

    private static SpeedCheck check(String what, int tokens, double predicted, double measured) {
        double difference = 100 * (measured - predicted) / predicted;
        return new SpeedCheck(what, tokens, predicted, measured, difference, Math.abs(difference) > PlanCheck.WARN_PERCENT);
    }
}
