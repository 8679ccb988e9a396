package dev.familiar.grandpa.runtime.placement;

import dev.familiar.grandpa.runtime.profile.ModelProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code --strategy auto} does for an owner's goal: it plans the placement at each micro-batch (a larger one
 * shares the copy of the host's experts among more tokens of a prompt, and takes more GPU memory for its compute
 * buffer, which may leave an expert layer on the CPU) and keeps the one the calibrated predictions say serves the
 * goal best, saying why.
 */
public final class MicroBatchChoice {
    /** The micro-batches tried, within the batch. */
    static final int[] MICRO_BATCHES = {512, 1024, 2048, 4096};
    /** Predictions are compared in steps of 1 % (less is within the predictions' error): the other speed decides within one. */
    private static final double STEP = 0.01;

    /** What the owner wants most: fast generation, or fast prompt processing at a prompt size. */
    public sealed interface Goal {
        /** {@code generation} or {@code prompt:<tokens>}, as on the command line. */
        static Goal named(String name) {
            if (name.equals("generation")) {
                return new Generation();
            }
            if (name.startsWith("prompt:")) {
                try {
                    int tokens = Integer.parseInt(name.substring("prompt:".length()));
                    if (tokens > 0) {
                        return new Prompt(tokens);
                    }
                } catch (NumberFormatException e) {
                    // said below
                }
            }
            throw new IllegalArgumentException("--goal is generation or prompt:<tokens> (e.g. prompt:8192), not '" + name + "'");
        }

        record Generation() implements Goal {}

        record Prompt(int tokens) implements Goal {}
    }

    /** The plan chosen, why, and each micro-batch tried. */
    public record Choice(PlacementPlan plan, String reason, List<String> tried) {}

    private MicroBatchChoice() {}

    /** @param request what is asked, its micro-batch aside; it needs a host bandwidth (for the predictions) */
    public static Choice choose(ModelProfile profile, PlacementRequest request, Goal goal) {
        if (request.hostBandwidth() <= 0) {
            throw new IllegalArgumentException("choosing the micro-batch for a goal needs the host's memory bandwidth");
        }
        int prompt = goal instanceof Goal.Prompt p ? p.tokens() : 2048;
        var plans = new ArrayList<PlacementPlan>();
        var tried = new ArrayList<String>();
        for (int microBatch : MICRO_BATCHES) {
            if (microBatch > request.batch()) {
                continue;
            }
            PlacementPlan plan = PlacementPlanner.plan(profile, new PlacementRequest(request.gpus(), request.hostRam(),
                    request.contextLength(), request.cacheType(), request.batch(), microBatch, request.parallel(),
                    new Strategy.AutoFit(), request.hostBandwidth(), request.gpuBandwidth(), request.reservePerGpu(),
                    request.flavor(), request.attentionMaxBatch()));
            tried.add(describe(plan, prompt));
            if (plan.fits()) {
                plans.add(plan);
            }
        }
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("the model fits at no micro-batch of " + Arrays.toString(MICRO_BATCHES));
        }
        Comparator<PlacementPlan> first = Comparator.comparingDouble(p -> rounded(goal instanceof Goal.Prompt
                ? promptSpeed(p, prompt) : p.prediction().tokensPerSecond()));
        Comparator<PlacementPlan> then = Comparator.comparingDouble(p -> goal instanceof Goal.Prompt
                ? p.prediction().tokensPerSecond() : promptSpeed(p, prompt));
        PlacementPlan best = plans.stream().max(first.thenComparing(then)).orElseThrow();
        String why = goal instanceof Goal.Prompt
                ? "the fastest prompt processing of " + prompt + " tokens predicted"
                : "the fastest generation predicted (the prompt processing of 2048 tokens decides a tie)";
        return new Choice(best, "micro-batch " + best.request().microBatch() + ": " + why + ": " + describe(best, prompt),
                tried);
    }

    private static double promptSpeed(PlacementPlan plan, int tokens) {
        return plan.prediction().promptSpeed().tokensPerSecond(tokens, true);
    }

    private static double rounded(double tokensPerSecond) {
        return Math.floor(Math.log(tokensPerSecond) / Math.log1p(STEP));
    }

    private static String describe(PlacementPlan plan, int prompt) {
        long onGpus = plan.devices().stream().mapToLong(d -> plan.layersOn(d.device()).size()).sum();
        return String.format(Locale.ROOT, "-ub %d: %d expert layers on the GPUs, generation %.1f tok/s, a prompt of %d "
                        + "tokens at %.0f tok/s%s", plan.request().microBatch(), onGpus, plan.prediction().tokensPerSecond(),
                prompt, promptSpeed(plan, prompt), plan.prediction().promptSpeed().cpuRunsHostExperts()
                        ? " (the CPU runs the host's experts at this micro-batch)" : "")
                + (plan.fits() ? "" : " (does not fit)");
    }
}
