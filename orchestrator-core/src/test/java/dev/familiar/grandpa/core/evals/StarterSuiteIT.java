package dev.familiar.grandpa.core.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter suite holds what it says: every case's checks and held-out tests fail on its repository as
 * given (the bug or the missing feature is there), and pass once its known solution is applied.
 */
class StarterSuiteIT {
    static final Path STARTER = Path.of("../evals/starter");

    @Test
    void everyCaseFailsAsGivenAndPassesWithItsSolution(@TempDir Path dir) throws Exception {
        Suite suite = Suite.load(STARTER);
        assertThat(suite.name()).isEqualTo("starter");
        assertThat(suite.cases()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(suite.cases().stream().map(Suite.Case::language).distinct()).hasSizeGreaterThanOrEqualTo(3);
        for (Suite.Case c : suite.cases()) {
            Path work = dir.resolve(c.id());
            copy(c.repository(), work);
            String check = c.checks().get(c.acceptance());
            assertThat(run(work, check)).as(c.id() + ": its check fails as given").isNotZero();
            copy(c.heldOutFiles(), work);
            assertThat(run(work, c.heldOut())).as(c.id() + ": its held-out check fails as given").isNotZero();
            copy(c.solution(), work);
            assertThat(run(work, check)).as(c.id() + ": its check passes with the solution").isZero();
            assertThat(run(work, c.heldOut())).as(c.id() + ": its held-out check passes with the solution").isZero();
        }
    }

    @Test
    void aSuiteWithMistakesIsRefusedWithEachNamed(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a/repo"));
        Files.writeString(dir.resolve("suite.yaml"), """
                cases:
                  - {id: a, goal: fix it, checks: {test: "true"}, acceptance: lint, held-out: "true"}
                  - {id: a, checks: {}, held-out: ""}
                  - {id: Not An Id}
                """);
        assertThatThrownBy(() -> Suite.load(dir)).hasMessageContaining("a: its acceptance check lint is none of its checks [test]")
                .hasMessageContaining("a: no held-out tests at").hasMessageContaining("a: the id is used twice")
                .hasMessageContaining("a: no goal").hasMessageContaining("a: no held-out check")
                .hasMessageContaining("not Not An Id");
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static int run(Path dir, String command) throws Exception {
        var builder = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
