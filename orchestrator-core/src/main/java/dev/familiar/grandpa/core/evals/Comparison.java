package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.store.eval.EvalResult;
import dev.familiar.grandpa.store.eval.EvalRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Two runs side by side: each in numbers, and case by case over the cases both ended (the same case and
 * repetition), the paired difference in what they solved and whether it is significant.
 *
 * @param difference McNemar's exact test over the paired cases ({@code onlyFirst}: solved by the first run alone)
 * @param cases      per case, which run solved it
 */
record Comparison(RunSummary first, RunSummary second, int paired, PairedDifference difference, boolean significant,
                         List<CaseRow> cases) {

    /** One case (and repetition) of both runs: solved by the first, the second, and their time to end. */
    public record CaseRow(String caseId, int repetition, Boolean first, Boolean second, Double firstSeconds,
                          Double secondSeconds) {}

    public static Comparison of(EvalRun a, List<EvalResult> ra, EvalRun b, List<EvalResult> rb) {
        Map<String, EvalResult> second = rb.stream().collect(Collectors.toMap(Comparison::key, Function.identity()));
        var rows = new ArrayList<CaseRow>();
        int onlyFirst = 0;
        int onlySecond = 0;
        int paired = 0;
        for (EvalResult x : ra) {
            EvalResult y = second.remove(key(x));
            rows.add(row(x.caseId(), x.repetition(), x, y));
            if (y != null && x.ended() && y.ended()) {
                paired++;
                onlyFirst += x.solved() && !y.solved() ? 1 : 0;
                onlySecond += y.solved() && !x.solved() ? 1 : 0;
            }
        }
        second.values().forEach(y -> rows.add(row(y.caseId(), y.repetition(), null, y)));
        var difference = PairedDifference.of(onlyFirst, onlySecond);
        return new Comparison(RunSummary.of(a, ra), RunSummary.of(b, rb), paired, difference, difference.significant(),
                List.copyOf(rows));
    }

    private static CaseRow row(String caseId, int repetition, EvalResult x, EvalResult y) {
        return new CaseRow(caseId, repetition, solved(x), solved(y), seconds(x), seconds(y));
    }

    private static Boolean solved(EvalResult r) {
        return r == null || !r.ended() ? null : r.solved();
    }

    private static Double seconds(EvalResult r) {
        return r == null || !r.ended() ? null : r.measures().secondsToDone();
    }

    private static String key(EvalResult r) {
        return r.caseId() + "#" + r.repetition();
    }
}
