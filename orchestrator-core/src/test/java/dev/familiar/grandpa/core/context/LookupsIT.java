package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * grandpa looks something up before it plans: offered the roles as tools in a turn of its own, it asks
 * the notes role with its own query, the answer goes into the plan request, the lookup is an event of
 * the task, and the plan request finds the lookup turn in the server's cache.
 */
class LookupsIT {

    @Test
    void aReplanMayLookUpAgainWithWhatIsLeftOfTheTasksBudgetAndHearsWhyThePlanFailed() {
        try (var models = new Models("coder-a")) {
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> {
                if ("lookup".equals(call.schemaName())) { // asks for two each time: the budget of three cuts the second turn to one
                    return Reply.text("{\"lookups\":[{\"role\":\"notes\",\"query\":\"billing runbook\"},"
                            + "{\"role\":\"notes\",\"query\":\"testing conventions\"}]}");
                }
                if ("verdict".equals(call.schemaName()) && call.last("user").contains("Subtask tests: ")) {
                    return Reply.text(StandInGrandpa.verdict("fail", 0.1, "These tests test nothing."));
                }
                return scripted.answer(call);
            });
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            TaskContextIT.connection(properties, "voracle", "notes");
            TaskContextIT.role(properties, "notes", "voracle", "plan", "{query}");
            properties.put("grandpa.context.lookups", "3");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Write a CSV exporter");
                JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");
                assertThat(task.path("planVersion").asInt()).isEqualTo(2);

                List<ChatCall> turns = models.grandpa.received().stream().filter(c -> "lookup".equals(c.schemaName())).toList();
                assertThat(turns).hasSize(2);
                assertThat(turns.get(0).last("user")).contains("Before you plan the task below", "at most 3 lookups")
                        .doesNotContain("could not be finished");
                assertThat(turns.get(1).last("user")).contains("Before you plan the rest of the task below again",
                        "at most 1 lookups", "The previous plan could not be finished: ");
                assertThat(turns.get(1).request().path("response_format").toString()).contains("\"maxItems\":1");
                assertThat(task.path("events").valueStream()
                        .filter(e -> e.path("type").asString().equals("context.looked-up")).count())
                        .as("three in all: two before the first plan, one before the re-plan").isEqualTo(3);
                String replan = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName())
                        && c.last("user").contains("Plan version: 2")).findFirst().orElseThrow().last("user");
                assertThat(replan).contains("Looked up in notes: billing runbook");
            }
        }
    }

    @Test
    void grandpaAsksTheNotesRoleItselfAndPlansWithWhatItFound() {
        try (var models = new Models("coder-a")) {
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> "lookup".equals(call.schemaName())
                    ? Reply.text("{\"lookups\":[{\"role\":\"notes\",\"query\":\"testing conventions\",\"symbols\":[]},"
                            + "{\"role\":\"nobody\",\"query\":\"a tool that is not offered\"}]}")
                    : scripted.answer(call));
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            TaskContextIT.connection(properties, "voracle", "notes");
            TaskContextIT.role(properties, "notes", "voracle", "plan", "{query}");
            properties.put("grandpa.context.lookups", "2");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Add a health endpoint");
                JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");

                List<ChatCall> calls = models.grandpa.received();
                ChatCall lookup = calls.stream().filter(c -> "lookup".equals(c.schemaName())).findFirst().orElseThrow();
                assertThat(lookup.last("user")).startsWith("Request: look up.\n")
                        .contains("- notes: Entries that mention a word of the query", "at most 2 lookups",
                                "The context you will plan with already has:\n- notes: Billing service runbook");
                String plan = calls.stream().filter(c -> "plan".equals(c.schemaName())).findFirst().orElseThrow().last("user");
                assertThat(plan).contains("Looked up in notes: testing conventions\nContext:\n\n### notes: Testing conventions");

                List<JsonNode> lookedUp = task.path("events").valueStream()
                        .filter(e -> e.path("type").asString().equals("context.looked-up")).toList();
                assertThat(lookedUp).singleElement().satisfies(e -> {
                    assertThat(e.path("data").path("role").asString()).isEqualTo("notes");
                    assertThat(e.path("line").asString()).startsWith("grandpa looked up notes \"testing conventions\": 1 items");
                    assertThat(e.path("data").path("answer").asString()).contains("### notes: Testing conventions");
                });

                // the lookup turn is one more turn of the session: the plan request finds it in the cache
                List<JsonNode> planCalls = task.path("events").valueStream()
                        .filter(e -> e.path("type").asString().equals("model.call")
                                && e.path("data").path("purpose").asString().equals("plan")).toList();
                assertThat(planCalls).hasSize(2);
                assertThat(planCalls.get(1).path("data").path("cachedTokens").asInt())
                        .isGreaterThanOrEqualTo(planCalls.get(0).path("data").path("promptTokens").asInt());
            }
        }
    }
}
