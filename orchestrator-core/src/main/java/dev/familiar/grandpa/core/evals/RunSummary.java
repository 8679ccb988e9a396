package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A run in numbers, over the cases that have ended: how many it solved (with the 95 % interval), how long
 * a case took to end (median and 90th percentile), and per case on average grandpa's busy seconds, the
 * coders' tokens, recovery steps, re-plans and the coders' relative cost.
 *
 * @param rate null until a case has ended
 */
record RunSummary(String label, String suite, String setup, String status, boolean standIn, int cases, int ended,
                         SolvedRate rate, double medianSecondsToDone, double p90SecondsToDone, double grandpaSecondsPerCase,
                         double coderTokensPerCase, double recoveriesPerCase, double replansPerCase, double costPerCase) {

    public static RunSummary of(EvalRun run, List<EvalResult> results) {
        List<EvalResult> ended = results.stream().filter(EvalResult::ended).toList();
        int solved = (int) ended.stream().filter(EvalResult::solved).count();
        double[] times = ended.stream().mapToDouble(r -> r.measures().secondsToDone()).sorted().toArray();
        return new RunSummary(run.label(), run.suite(), run.setup(), run.status().name(), run.standIn(), results.size(),
                ended.size(), ended.isEmpty() ? null : SolvedRate.of(solved, ended.size()), percentile(times, 0.5),
                percentile(times, 0.9), mean(ended, m -> m.grandpaSeconds()), mean(ended, m -> m.coderTokens()),
                mean(ended, EvalResult.CaseMeasures::recoveryCount), mean(ended, m -> m.replans()), mean(ended, m -> m.cost()));
    }

    /** The nearest-rank percentile (0 for none): with a few dozen cases, a value that happened. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double mean(List<EvalResult> ended, ToDoubleFunction<EvalResult.CaseMeasures> value) {
        return ended.stream().mapToDouble(r -> value.applyAsDouble(r.measures())).average().orElse(0);
    }
}
