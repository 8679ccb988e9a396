package dev.familiar.grandpa.testkit.standin;

import java.util.List;

/**
 * How fast a simulated model works, for benchmarks: prompt processing by the number of tokens a
 * request evaluates (interpolated between measured points, on a log scale), generation falling
 * linearly as the context fills, and a cost for decoding several sequences at once. The stand-in
 * reports these times in its {@code timings} and waits them out, divided by {@code timeScale}, so a
 * benchmark of an hour of model time can run in minutes. Its tokens are {@code bytesPerToken} bytes.
 *
 * @param promptRates   points {tokens evaluated, tokens a second}, ascending
 * @param generateEmpty generation speed with an empty context, tokens a second
 * @param generateFull  generation speed at {@code fullContext} tokens of context
 * @param parallelCost  each further sequence decoded at once slows every one by this share
 */
public record Speeds(List<double[]> promptRates, double generateEmpty, double generateFull, int fullContext,
                     int bytesPerToken, double parallelCost, double timeScale) {

    /**
     * The seed's GLM-5.1 numbers on the user's server: prompt processing 19-37 tokens a second under
     * 100 tokens, 54-143 to 1,000, 114-280 to 5,000, 235-572 to 10,000 (572 at 21k); generation 17.9
     * tokens a second falling to 16.7 at 53k of context. Decoding two sequences at once is assumed to
     * slow each by half (experts in host memory: the second sequence reads other experts).
     */
    public static Speeds seed(double timeScale) {
        return new Speeds(List.of(new double[] {50, 28}, new double[] {550, 98}, new double[] {3_000, 197},
                new double[] {7_500, 400}, new double[] {21_000, 572}), 17.9, 16.7, 53_000, 4, 0.5, timeScale);
    }

    /** A coder model on its own GPU: one prompt rate and one generation rate. */
    public static Speeds coder(double promptPerSecond, double generatePerSecond, double timeScale) {
        return new Speeds(List.of(new double[] {1, promptPerSecond}, new double[] {1_000_000, promptPerSecond}),
                generatePerSecond, generatePerSecond, 1, 4, 0.0, timeScale);
    }

    public int tokens(int bytes) {
        return (bytes + bytesPerToken - 1) / bytesPerToken;
    }

    /** Seconds to evaluate this many prompt tokens. */
    public double promptSeconds(int tokens) {
        if (tokens <= 0) {
            return 0;
        }
        double x = Math.log(tokens);
        double[] below = promptRates.getFirst();
        for (double[] point : promptRates) {
            if (point[0] >= tokens) {
                double x0 = Math.log(below[0]);
                double x1 = Math.log(point[0]);
                double rate = x1 == x0 ? point[1] : below[1] + (point[1] - below[1]) * Math.max(0, (x - x0) / (x1 - x0));
                return tokens / rate;
            }
            below = point;
        }
        return tokens / promptRates.getLast()[1];
    }

    /** Seconds to generate this many tokens on a context this long. */
    public double generateSeconds(int tokens, int context) {
        double share = Math.min(1.0, context / (double) Math.max(1, fullContext));
        return tokens / (generateEmpty - (generateEmpty - generateFull) * share);
    }

    /** How much slower each sequence is with this many decoded at once. */
    public double slowdown(int atOnce) {
        return 1 + parallelCost * Math.max(0, atOnce - 1);
    }
}
