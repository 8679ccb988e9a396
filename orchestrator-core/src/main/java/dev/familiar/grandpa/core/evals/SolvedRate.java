package dev.familiar.grandpa.core.evals;

/**
 * How many cases a run solved, with the 95 % Wilson score interval: unlike the plain p ± 1.96·se it stays
 * inside [0, 1] and keeps its coverage at the few dozen cases a suite has, and at rates of 0 or 1.
 */
record SolvedRate(int solved, int cases, double low, double high) {
    static final double Z = 1.959963984540054; // the 97.5th percentile of the standard normal

    public static SolvedRate of(int solved, int cases) {
        if (cases <= 0 || solved < 0 || solved > cases) {
            throw new IllegalArgumentException("solved " + solved + " of " + cases + " cases");
        }
        double p = (double) solved / cases;
        double z2 = Z * Z;
        double denominator = 1 + z2 / cases;
        double centre = (p + z2 / (2.0 * cases)) / denominator;
        double half = Z * Math.sqrt(p * (1 - p) / cases + z2 / (4.0 * cases * cases)) / denominator;
        // at 0 and at all the interval's end is exactly 0 or 1; rounding would leave a trace of 1e-17
        return new SolvedRate(solved, cases, solved == 0 ? 0 : centre - half, solved == cases ? 1 : centre + half);
    }

    public double rate() {
        return (double) solved / cases;
    }
}
