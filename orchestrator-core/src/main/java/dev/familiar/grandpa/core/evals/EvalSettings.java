package dev.familiar.grandpa.core.evals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bake-off ({@code grandpa.evals.*}). Suites are read only from the folders named here: a suite's
 * checks are commands, and grandpa runs only commands its configuration names.
 *
 * @param suites       folders that are a suite (a {@code suite.yaml} in them) or hold suites (one per folder)
 * @param dir          where the cases' repositories are made for each run
 * @param parallel     how many cases of a run are worked at once, unless the run says otherwise
 * @param caseTimeout  a case whose task has not ended after this long is cancelled and counted unsolved
 * @param pollInterval how often running cases are looked at
 */
@ConfigurationProperties("grandpa.evals")
public record EvalSettings(
        @DefaultValue("evals") List<Path> suites,
        @DefaultValue("data/evals") Path dir,
        @DefaultValue("2") int parallel,
        @DefaultValue("2h") Duration caseTimeout,
        @DefaultValue("2s") Duration pollInterval) {

    public EvalSettings {
        suites = List.copyOf(suites);
        if (parallel < 1) {
            throw new IllegalArgumentException("grandpa.evals.parallel must be 1 or more");
        }
    }
}
