package dev.familiar.grandpa.core.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bake-off's statistics against values worked out by hand and by simulation. */
class StatisticsTest {

    @Test
    void wilsonIntervalsMatchTheTextbook() {
        SolvedRate eight = SolvedRate.of(8, 10); // Newcombe (1998), and any Wilson calculator
        assertThat(eight.low()).isCloseTo(0.4902, within(1e-4));
        assertThat(eight.high()).isCloseTo(0.9433, within(1e-4));
        SolvedRate none = SolvedRate.of(0, 12);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.2425, within(1e-4));
        SolvedRate all = SolvedRate.of(12, 12);
        assertThat(all.low()).isCloseTo(0.7575, within(1e-4));
        assertThat(all.high()).isEqualTo(1.0);
    }

    @Test
    void wilsonCoversTheTrueRateAboutNineteenTimesInTwenty() {
        var random = new Random(20261203);
        int covered = 0;
        int runs = 4000;
        for (int run = 0; run < runs; run++) {
            int solved = 0;
            for (int c = 0; c < 24; c++) {
                solved += random.nextDouble() < 0.5 ? 1 : 0;
            }
            SolvedRate rate = SolvedRate.of(solved, 24);
            covered += rate.low() <= 0.5 && 0.5 <= rate.high() ? 1 : 0;
        }
        assertThat(covered / (double) runs).isBetween(0.93, 0.97);
    }

    @Test
    void mcNemarsExactTestOnTheDiscordantCases() {
        assertThat(PairedDifference.of(10, 1).p()).isCloseTo(24.0 / 2048, within(1e-12)); // 2 * (1 + 11) / 2^11
        assertThat(PairedDifference.of(10, 1).significant()).isTrue();
        assertThat(PairedDifference.of(5, 5).p()).isEqualTo(1.0);
        assertThat(PairedDifference.of(0, 0).p()).isEqualTo(1.0);
        assertThat(PairedDifference.of(3, 0).p()).isCloseTo(0.25, within(1e-12)); // three cases are never enough
        assertThat(PairedDifference.of(0, 12).significant()).isTrue();
        assertThat(PairedDifference.of(400, 380).p()).isBetween(0.49, 0.50); // large n, no underflow
    }
}
