package dev.familiar.grandpa.core.evals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param setups       named setups a run may be made under ({@code --setup}), by name
 */
@ConfigurationProperties("grandpa.evals")
record EvalSettings(
        @DefaultValue("evals") List<Path> suites,
        @DefaultValue("data/evals") Path dir,
        @DefaultValue("2") int parallel,
        @DefaultValue("2h") Duration caseTimeout,
        @DefaultValue("2s") Duration pollInterval,
        Map<String, Setup> setups) {

    /**
     * What differs from the configuration while a run made under this setup runs: the service is in the setup
     * then (one setup at a time; runs of another wait), and back as configured after.
     *
     * @param command    the model server grandpa runs for it (its launch command: another model, another
     *                   placement); empty: the configured one
     * @param modelName  the name its model's calls are recorded under (default: the setup's name)
     * @param backends   the only coder backends that take new work (the others are drained while it runs);
     *                   empty: all
     * @param firstJudge false: grandpa judges every output itself; otherwise the first judge as configured
     */
    public record Setup(List<String> command, String modelName, List<String> backends, Boolean firstJudge) {
        public Setup {
            command = command == null ? List.of() : List.copyOf(command);
            backends = backends == null ? List.of() : List.copyOf(backends);
        }
    }

    public EvalSettings {
        suites = List.copyOf(suites);
        setups = setups == null ? Map.of() : Map.copyOf(setups);
        if (parallel < 1) {
            throw new IllegalArgumentException("grandpa.evals.parallel must be 1 or more");
        }
    }
}
