package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.context.FixtureMcpServer;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task's context comes from MCP servers over stdio, configured the Spring AI way (one as a connection,
 * one in an mcpServers JSON file), by role: the task's pack is stored and goes into the plan; each
 * subtask gets a pack of its own, asked with its instructions, which is what its coder sees.
 */
class TaskContextIT {

    static List<String> fixture(String name) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), FixtureMcpServer.class.getName(), name);
    }

    /** The fixture as a Spring AI stdio connection. */
    static void connection(Map<String, Object> p, String name, String fixture) {
        List<String> command = fixture(fixture);
        p.put("spring.ai.mcp.client.stdio.connections." + name + ".command", command.getFirst());
        for (int k = 1; k < command.size(); k++) {
            p.put("spring.ai.mcp.client.stdio.connections." + name + ".args[" + (k - 1) + "]", command.get(k));
        }
    }

    static void role(Map<String, Object> p, String role, String server, String stage, String query) {
        p.put("grandpa.context.roles." + role + ".server", server);
        p.put("grandpa.context.roles." + role + ".stages", stage);
        p.put("grandpa.context.roles." + role + ".arguments.query", query);
        p.put("grandpa.context.roles." + role + ".timeout", "30s");
    }

    @Test
    void theTasksPackFeedsThePlanAndEachSubtaskGetsItsOwn(@TempDir Path dir) throws IOException {
        List<String> notes = fixture("notes");
        Path servers = dir.resolve("mcp.json");
        Files.writeString(servers, JsonMapper.shared().writeValueAsString(Map.of("mcpServers", Map.of("voracle",
                Map.of("command", notes.getFirst(), "args", notes.subList(1, notes.size()))))));
        try (var models = new Models("coder-a")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            connection(properties, "argus", "symbols");
            properties.put("spring.ai.mcp.client.stdio.servers-configuration", servers.toUri().toString());
            role(properties, "code-symbols", "argus", "plan", "{query}");
            role(properties, "notes", "voracle", "subtask", "{instructions}");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Add rate limiting to the billing service");
                JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");

                JsonNode pack = task.path("contextPack");
                assertThat(pack.path("problems")).isEmpty();
                assertThat(pack.path("countedBy").asString()).isEqualTo("grandpa's model (/tokenize)");
                assertThat(pack.path("items").valueStream().map(i -> i.path("source").asString()).distinct().toList())
                        .containsExactly("code-symbols");
                String rendered = pack.path("rendered").asString();
                assertThat(rendered).contains("### code-symbols: RateLimiter");
                String planRequest = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName()))
                        .findFirst().orElseThrow().last("user");
                assertThat(planRequest).contains(rendered.strip());

                // the stand-in plans impl ("Implement the change"), tests ("Write the tests") and docs
                JsonNode subtaskPacks = task.path("subtaskContext");
                assertThat(subtaskPacks).hasSize(3).allSatisfy(p ->
                        assertThat(p.path("countedBy").asString()).isEqualTo("coder coder-a's model (/tokenize)"));
                assertThat(subtaskPacks.valueStream().filter(p -> p.path("rendered").asString()
                        .contains("### notes: Testing conventions"))).as(subtaskPacks.toString()).hasSize(2);
                assertThat(models.coder("coder-a").received()).isNotEmpty().allSatisfy(call ->
                        assertThat(call.last("user")).doesNotContain("RateLimiter"));
                assertThat(models.coder("coder-a").received()).anySatisfy(call ->
                        assertThat(call.last("user")).contains("### notes: Testing conventions"));
                assertThat(task.path("events").valueStream().filter(e -> e.path("type").asString().equals("context.gathered")))
                        .hasSize(4);
            }
        }
    }

    @Test
    void theNotesServerShippedWithGrandpaPlaysTheNotesRoleGivenAVault(@TempDir Path vault) throws IOException {
        Path jar = Path.of("../voracle-lite/target/voracle-lite.jar").toAbsolutePath().normalize();
        assertThat(jar).as("./mvnw package builds voracle-lite before the service").isRegularFile();
        Files.writeString(vault.resolve("Billing runbook.md"), """
                ---
                tags: [billing]
                ---
                # Billing service runbook
                When the billing service is down, restart it with systemctl restart billing.
                """);
        Files.writeString(vault.resolve("Sourdough.md"), "# Sourdough\nFeed the starter the night before.");
        try (var models = new Models("coder-a")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("grandpa.context.voracle-lite.vault", vault.toString());
            properties.put("grandpa.context.voracle-lite.jar", jar.toString());
            Path cache = Files.createTempDirectory("voracle-cache");
            properties.put("grandpa.context.voracle-lite.cache", cache.toString());
            properties.put("grandpa.context.roles.notes.server", "voracle-lite"); // the default role, with more time
            properties.put("grandpa.context.roles.notes.timeout", "60s");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Document how to restart the billing service");
                JsonNode pack = grandpa.awaitStatus(id, Duration.ofSeconds(120), "DONE").path("contextPack");
                assertThat(pack.path("problems")).isEmpty();
                assertThat(pack.path("rendered").asString())
                        .contains("### notes: Billing service runbook (Billing runbook.md) #billing")
                        .doesNotContain("Sourdough");
                try (var kept = Files.list(cache)) { // the vault's embeddings, for the next start
                    assertThat(kept.toList()).singleElement().satisfies(f -> assertThat(Files.size(f)).isPositive());
                }
            }
        }
    }

    @Test
    void aThirdPartyServerFromNpmPlaysTheNotesRole(@TempDir Path vault) throws IOException {
        Files.writeString(vault.resolve("RateLimiter notes.md"), "# RateLimiter\nIt lets 100 requests a minute through.");
        Files.writeString(vault.resolve("Sourdough.md"), "# Sourdough\nFeed the starter the night before.");
        Path server = Path.of("src/test/node/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")
                .toAbsolutePath();
        try (var models = new Models("coder-a")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("spring.ai.mcp.client.stdio.connections.files.command", "node");
            properties.put("spring.ai.mcp.client.stdio.connections.files.args[0]", server.toString());
            properties.put("spring.ai.mcp.client.stdio.connections.files.args[1]", vault.toString());
            properties.put("grandpa.context.roles.notes.server", "files");
            properties.put("grandpa.context.roles.notes.tool", "search_files");
            properties.put("grandpa.context.roles.notes.stages", "plan");
            properties.put("grandpa.context.roles.notes.timeout", "30s");
            properties.put("grandpa.context.roles.notes.arguments.path", vault.toString());
            properties.put("grandpa.context.roles.notes.arguments.pattern", "**/*{symbols}*");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Explain how `RateLimiter` decides");
                JsonNode pack = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE").path("contextPack");
                assertThat(pack.path("problems")).isEmpty();
                assertThat(pack.path("rendered").asString()).contains("### notes: " + vault.resolve("RateLimiter notes.md"))
                        .doesNotContain("Sourdough");
            }
        }
    }
}
