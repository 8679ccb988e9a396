package dev.familiar.grandpa.runtime.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One device of a plan against what the server then allocated on it, as its log says (llama.cpp's and
 * ik_llama.cpp's "buffer size" lines: weights, KV cache, compute): a GPU ({@code CUDA0}, ...) by its own
 * lines, the host by every other one ({@code CPU}, {@code CPU_Mapped}, {@code CUDA_Host}). A device the log
 * has no line for yet is left out.
 *
 * @param differencePercent how far the log is from the plan, in percent of the plan (positive: more than planned)
 * @param warning           whether it is more than {@link #WARN_PERCENT} either way
 */
public record PlanCheck(String device, double plannedMiB, double loggedMiB, double differencePercent, boolean warning) {
    /** A difference above this, either way, is worth a warning: the plan leaves memory unused, or overcommits it. */
    public static final double WARN_PERCENT = 10;
    private static final Pattern GPU = Pattern.compile("CUDA\\d+");
    private static final double MIB = 1 << 20;

    /** @param buffersMiB the log's buffers, {@code "CUDA0 weights"} → MiB (as {@code LogDigest} reads them) */
    public static List<PlanCheck> of(PlacementPlan plan, Map<String, Double> buffersMiB) {
        var checks = new ArrayList<PlanCheck>();
        for (MemoryEstimate device : plan.devices()) {
            check(device, logged(buffersMiB, device.device())).ifPresent(checks::add);
        }
        check(plan.host(), logged(buffersMiB, null)).ifPresent(checks::add);
        return checks;
    }

    /** What the log says the device holds, in MiB; null when it has no line for it. */
    private static Double logged(Map<String, Double> buffersMiB, String gpu) {
        Double sum = null;
        for (var buffer : buffersMiB.entrySet()) {
            String device = buffer.getKey().split(" ", 2)[0];
            boolean mine = gpu == null ? !GPU.matcher(device).matches() : device.equals(gpu);
            if (mine) {
                sum = (sum == null ? 0 : sum) + buffer.getValue();
            }
        }
        return sum;
    }

    private static java.util.Optional<PlanCheck> check(MemoryEstimate planned, Double logged) {
        if (logged == null || planned.total() <= 0) {
            return java.util.Optional.empty();
        }
        double plannedMiB = planned.total() / MIB;
        double difference = 100 * (logged - plannedMiB) / plannedMiB;
        return java.util.Optional.of(new PlanCheck(planned.device(), plannedMiB, logged, difference,
                Math.abs(difference) > WARN_PERCENT));
    }
}
