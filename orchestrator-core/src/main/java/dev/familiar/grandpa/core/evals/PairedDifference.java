package dev.familiar.grandpa.core.evals;

/**
 * Two runs over the same cases, compared case by case with McNemar's exact test: only the cases one run
 * solved and the other did not say anything about which is better ({@code onlyFirst}, {@code onlySecond});
 * under "no difference" each such case is a fair coin, and the two-sided p-value is the chance of a split
 * at least this uneven.
 */
record PairedDifference(int onlyFirst, int onlySecond, double p) {
    /** The level below which a difference is called significant. */
    static final double ALPHA = 0.05;

    public static PairedDifference of(int onlyFirst, int onlySecond) {
        if (onlyFirst < 0 || onlySecond < 0) {
            throw new IllegalArgumentException("negative counts");
        }
        int n = onlyFirst + onlySecond;
        int k = Math.min(onlyFirst, onlySecond);
        double tail = 0; // P(X <= k) for X ~ Binomial(n, 1/2), summed in logarithms so large n does not underflow
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return new PairedDifference(onlyFirst, onlySecond, n == 0 ? 1.0 : Math.min(1.0, 2 * tail));
    }

    public boolean significant() {
        return p < ALPHA;
    }

    private static double logChoose(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}
