package dev.familiar.grandpa.core.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A small chaos run on every build: 24 tasks (six in a repository) while the service is killed three
 * times, its PostgreSQL restarted once, grandpa's model killed mid-answer once and a coder flapping.
 * The full one (200 tasks) is {@code scripts/chaos-run.sh}; BENCHMARKS.md has its figures.
 */
class ChaosRunIT {
    @Test
    void everyTaskEndsDoneWithoutAPersonAndNothingIsDoneTwice() throws Exception {
        var settings = ChaosRun.Settings.parse("tasks=24", "kills=3", "pg-restarts=1", "model-kills=1", "seed=7");
        assertThat(ChaosRun.run(settings, Path.of("target", "grandpa.jar"))).as("the chaos run held (its figures are "
                + "printed above)").isTrue();
    }
}
