package dev.familiar.grandpa.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The code-symbols server shipped with grandpa, enabled, reads each configured repository's mirror: a
 * task's first fetch brings the code, and the task's pack has the symbols its goal is about.
 */
class CodeSymbolsIT {

    @Test
    void argusLiteGivesATaskTheDefinitionsItsGoalIsAbout() throws Exception {
        Path jar = Path.of("../argus-lite/target/argus-lite.jar").toAbsolutePath().normalize();
        assertThat(jar).as("./mvnw package builds argus-lite before the service").isRegularFile();
        Path root = Files.createDirectories(Path.of("target", "code-symbols-it", UUID.randomUUID().toString()).toAbsolutePath());
        RepositoryFixtures.push(RepositoryFixtures.seed(root, "billing", Map.of(
                "src/main/java/billing/RateLimiter.java", """
                        package billing;

                        public class RateLimiter {
                            public boolean allow(String client) {
                                return client != null;
                            }
                        }
                        """,
                "src/main/java/billing/Invoice.java", "package billing;\n\nrecord Invoice(String id, long cents) {}\n")));
        try (var models = new Models("coder-a")) {
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(5)));
            p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
            p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
            p.put("grandpa.repositories[0].name", "billing");
            p.put("grandpa.repositories[0].url", root.resolve("billing.git").toString());
            p.put("grandpa.context.argus-lite.enabled", "true");
            p.put("grandpa.context.argus-lite.jar", jar.toString());
            p.put("grandpa.context.roles.code-symbols.server", "argus-lite"); // the default role, with more time
            p.put("grandpa.context.roles.code-symbols.timeout", "60s");
            p.put("grandpa.context.roles.code-symbols.arguments.query", "{query}");
            p.put("grandpa.context.roles.code-symbols.arguments.repository", "{repository}");
            try (var grandpa = Grandpa.start(p)) {
                var response = grandpa.post("/api/tasks", Grandpa.JSON.writeValueAsString(Map.of("repo", "billing",
                        "goal", "Add rate limiting to the billing service")));
                assertThat(response.status()).as(response.text()).isEqualTo(202);
                UUID id = UUID.fromString(response.body().path("id").asString());
                JsonNode pack = await().atMost(Duration.ofSeconds(120)).until(() -> grandpa.task(id).path("contextPack"),
                        node -> !node.isMissingNode() && !node.isNull());
                assertThat(pack.path("problems")).isEmpty();
                assertThat(pack.path("rendered").asString())
                        .contains("### code-symbols: class RateLimiter (src/main/java/billing/RateLimiter.java:3)",
                                "public boolean allow(String client)")
                        .doesNotContain("Invoice");
            }
        }
    }
}
