package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.context.FixtureMcpServer;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A task's context comes from MCP servers over stdio, is stored with it, and goes into its prompts. */
class TaskContextIT {

    static void source(java.util.Map<String, Object> p, int i, String name, String fixture) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), FixtureMcpServer.class.getName(),
                fixture);
        p.put("grandpa.context[" + i + "].name", name);
        for (int k = 0; k < command.size(); k++) {
            p.put("grandpa.context[" + i + "].command[" + k + "]", command.get(k));
        }
        p.put("grandpa.context[" + i + "].timeout", "30s");
    }

    @Test
    void theContextPackIsGatheredOnceStoredAndCarriedIntoThePlanAndTheCodersPrompts() {
        try (var models = new Models("coder-a")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            source(properties, 0, "argus", "symbols");
            source(properties, 1, "voracle", "notes");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Add rate limiting to the billing service");
                JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");

                JsonNode pack = task.path("contextPack");
                assertThat(pack.path("problems")).isEmpty();
                assertThat(pack.path("items").valueStream().map(i -> i.path("source").asString()).distinct().toList())
                        .containsExactly("argus", "voracle");
                String rendered = pack.path("rendered").asString();
                assertThat(rendered).contains("### argus: RateLimiter", "### voracle: Rate limits in the homelab");

                String planRequest = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName()))
                        .findFirst().orElseThrow().last("user");
                assertThat(planRequest).contains(rendered.strip());
                assertThat(models.coder("coder-a").received()).isNotEmpty()
                        .allSatisfy(call -> assertThat(call.last("user")).contains("### argus: RateLimiter"));
                assertThat(task.path("events").valueStream().filter(e -> e.path("type").asString().equals("context.gathered")))
                        .hasSize(1);
            }
        }
    }
}
