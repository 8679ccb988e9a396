package dev.familiar.grandpa.runtime.placement;

/**
 * Routed experts kept in one place: their bytes, which a batch reads or copies, and their weights, which it
 * multiplies (a Q4_0 byte holds 1.8 times the weights of a Q8_0 byte, so it costs a CPU or mainline's kernels 1.8
 * times the work).
 */
public record ExpertWeights(double bytes, double weights) {
    public static final ExpertWeights NONE = new ExpertWeights(0, 0);

    public ExpertWeights plus(ExpertWeights other) {
        return new ExpertWeights(bytes + other.bytes, weights + other.weights);
    }
}
