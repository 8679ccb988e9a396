package dev.familiar.grandpa.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Real git repositories for the repository tests, and tasks submitted in them with the subtasks a goal lists. */
final class RepositoryFixtures {
    static final Git GIT = new Git(Duration.ofSeconds(30));

    private RepositoryFixtures() {}

    /** A bare repository {@code <name>.git} under {@code root}, and a clone with these files written, not yet pushed. */
    static Path seed(Path root, String name, Map<String, String> files) throws Exception {
        Path remote = root.resolve(name + ".git");
        GIT.run(root, "init", "--quiet", "--bare", "--initial-branch=main", remote.toString());
        Path work = root.resolve("seed-" + name);
        GIT.run(root, "clone", "--quiet", remote.toString(), work.toString());
        for (var file : files.entrySet()) {
            Files.createDirectories(work.resolve(file.getKey()).getParent());
            Files.writeString(work.resolve(file.getKey()), file.getValue());
        }
        return work;
    }

    /** Commits everything in the clone and pushes it as the repository's main branch. */
    static void push(Path work) {
        GIT.run(work, "add", "--all");
        GIT.run(work, "commit", "--quiet", "-m", "seed");
        GIT.run(work, "push", "--quiet", "origin", "HEAD:main");
    }

    /** A task in the repository whose goal lists its subtasks for the scripted grandpa ({@code - key | capability | check | title}). */
    static UUID submit(Grandpa service, String repo, String title, String subtasks) {
        var response = service.post("/api/tasks", Grandpa.JSON.writeValueAsString(Map.of("title", title, "repo", repo,
                "goal", title + ". Subtasks:\n" + subtasks)));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return UUID.fromString(response.body().path("id").asString());
    }
}
