package dev.familiar.grandpa.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.context.FixtureMcpServer;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Context for real, out of the box: argus-lite on a real repository's mirror and voracle-lite on a real
 * notes folder, both started by grandpa, beside a source that hangs. A task about a named function gets
 * its definition, its caller and the note that mentions it, within the budget in the model's tokens;
 * the hung source is cut at its limit and the pack says so; the plan carries the pack's exact bytes.
 */
class ContextEndToEndIT {
    static final int BUDGET = 1000;

    @Test
    void aTaskAboutANamedFunctionGetsItsDefinitionItsCallerAndTheNoteThatMentionsIt() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "context-it", UUID.randomUUID().toString()).toAbsolutePath());
        RepositoryFixtures.push(RepositoryFixtures.seed(root, "billing", Map.of(
                "src/main/java/billing/RateLimiter.java", """
                        package billing;

                        public class RateLimiter {
                            public boolean allow(String client) {
                                return client != null;
                            }
                        }
                        """,
                "src/main/java/billing/Handler.java", """
                        package billing;

                        class Handler {
                            private final RateLimiter limiter = new RateLimiter();

                            String serve(String client) {
                                return limiter.allow(client) ? "ok" : "429";
                            }
                        }
                        """,
                "src/main/java/billing/Invoice.java", "package billing;\n\nrecord Invoice(String id, long cents) {}\n")));
        Path vault = Files.createDirectories(root.resolve("notes"));
        Files.writeString(vault.resolve("Rate limits.md"), """
                # Rate limits
                RateLimiter.allow decides who gets through; since the audit, blank client ids must be refused.
                """);
        Files.writeString(vault.resolve("Sourdough.md"), "# Sourdough\nFeed the starter the night before baking.\n");

        try (var models = new Models("coder-a")) {
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(5)));
            p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
            p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
            p.put("grandpa.repositories[0].name", "billing");
            p.put("grandpa.repositories[0].url", root.resolve("billing.git").toString());
            p.put("grandpa.context.plan-tokens", Integer.toString(BUDGET));
            p.put("grandpa.context.argus-lite.enabled", "true");
            p.put("grandpa.context.argus-lite.jar", Path.of("../argus-lite/target/argus-lite.jar").toAbsolutePath().normalize().toString());
            p.put("grandpa.context.voracle-lite.vault", vault.toString());
            p.put("grandpa.context.voracle-lite.cache", root.resolve("data/voracle-lite").toString());
            p.put("grandpa.context.voracle-lite.jar", Path.of("../voracle-lite/target/voracle-lite.jar").toAbsolutePath().normalize().toString());
            role(p, "code-symbols", "argus-lite", "60s", Map.of("query", "{query}", "symbols", "{symbols}", "repository", "{repository}"));
            role(p, "notes", "voracle-lite", "60s", Map.of("query", "{query}"));
            List<String> hanging = List.of(FixtureMcpServer.class.getName(), "notes", "600000");
            p.put("spring.ai.mcp.client.stdio.connections.hanging.command", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            p.put("spring.ai.mcp.client.stdio.connections.hanging.args[0]", "-cp");
            p.put("spring.ai.mcp.client.stdio.connections.hanging.args[1]", System.getProperty("java.class.path"));
            for (int i = 0; i < hanging.size(); i++) {
                p.put("spring.ai.mcp.client.stdio.connections.hanging.args[" + (i + 2) + "]", hanging.get(i));
            }
            role(p, "history", "hanging", "2s", Map.of("query", "{query}"));
            try (var grandpa = Grandpa.start(p)) {
                var response = grandpa.post("/api/tasks", Grandpa.JSON.writeValueAsString(Map.of("repo", "billing",
                        "goal", "Make `RateLimiter.allow` refuse blank client ids")));
                assertThat(response.status()).as(response.text()).isEqualTo(202);
                UUID id = UUID.fromString(response.body().path("id").asString());
                JsonNode pack = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(180))
                        .until(() -> grandpa.task(id).path("contextPack"), node -> !node.isMissingNode() && !node.isNull());

                String rendered = pack.path("rendered").asString();
                assertThat(rendered).contains(
                        "### code-symbols: method RateLimiter.allow (src/main/java/billing/RateLimiter.java:4)",
                        "public boolean allow(String client) {",
                        "Handler.serve (src/main/java/billing/Handler.java:7)",
                        "### notes: Rate limits (Rate limits.md)\nRateLimiter.allow decides who gets through")
                        .doesNotContain("Sourdough", "Invoice");
                assertThat(pack.path("cuts").valueStream().filter(c -> c.path("source").asString().equals("history")))
                        .singleElement().satisfies(c -> {
                            assertThat(c.path("reason").asString()).isEqualTo("TIME");
                            assertThat(c.path("detail").asString()).isEqualTo("hanging's search gave no answer within 2000 ms");
                        });
                assertThat(pack.path("countedBy").asString()).isEqualTo("grandpa's model (/tokenize)");
                assertThat(pack.path("tokens").asInt()).isPositive().isLessThanOrEqualTo(BUDGET);
                assertThat(tokens(models, rendered)).isLessThanOrEqualTo(BUDGET); // the whole, counted again by the model

                String planRequest = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                        models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName())).findFirst(),
                        java.util.Optional::isPresent).orElseThrow().last("user");
                assertThat(planRequest).contains(rendered.strip());
            }
        }
    }

    static void role(Map<String, Object> p, String role, String server, String timeout, Map<String, String> arguments) {
        p.put("grandpa.context.roles." + role + ".server", server);
        p.put("grandpa.context.roles." + role + ".timeout", timeout);
        p.put("grandpa.context.roles." + role + ".stages", "plan");
        arguments.forEach((name, template) -> p.put("grandpa.context.roles." + role + ".arguments." + name, template));
    }

    static int tokens(Models models, String text) {
        var answer = Grandpa.send(HttpRequest.newBuilder(URI.create(models.grandpa.baseUrl().replaceAll("/v1/?$", "") + "/tokenize"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Grandpa.JSON.writeValueAsString(Map.of("content", text)))).build());
        return answer.body().path("tokens").size();
    }
}
