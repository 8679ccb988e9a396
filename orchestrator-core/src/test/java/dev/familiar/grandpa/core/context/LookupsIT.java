package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * grandpa looks something up before it plans: offered the plan-stage roles as tools, in the template's own
 * syntax where the server takes them (the chat API's {@code tool_calls} on a server with {@code --jinja}; the
 * calls it writes itself on the raw path) and in a JSON schema where not, it asks the notes role with its own
 * query; the lookup is an event of the task, the plan is written with what it found, and the plan request
 * finds the lookup turn in the server's cache.
 */
class LookupsIT {
    private static final String CALLS = "<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"testing conventions\"}}"
            + "\n</tool_call>\n<tool_call>\n{\"name\": \"nobody\", \"arguments\": {\"query\": \"a tool that is not offered\"}}"
            + "\n</tool_call>";

    @Test
    void grandpaCallsTheNotesToolInTheChatApisOwnToolCallsAndPlansWithTheAnswer() {
        try (var models = new Models("coder-a")) {
            models.grandpa.respondWith(lookingUp(CALLS));
            try (var grandpa = Grandpa.start(properties(models, 2))) {
                JsonNode task = grandpa.awaitStatus(grandpa.submit("Add a health endpoint"), Duration.ofSeconds(60), "DONE");

                List<ChatCall> calls = models.grandpa.received();
                ChatCall lookup = calls.stream().filter(c -> c.last("user").startsWith("Request: look up.")).findFirst()
                        .orElseThrow();
                assertThat(lookup.schemaName()).isNull();
                assertThat(lookup.request().path("tool_choice").asString()).isEqualTo("auto");
                assertThat(lookup.last("user")).contains("call the tools you were given", "at most 2 calls",
                        "The context you will plan with already has:\n- notes: Billing service runbook");
                JsonNode tools = lookup.request().path("tools");
                assertThat(tools.path(0).path("function").path("name").asString()).isEqualTo("notes");
                assertThat(tools.path(0).path("function").path("description").asString()).contains("owner's notes");
                // the same tools on every request, not to be called but in the lookup turn: the prompt never changes
                assertThat(calls).allSatisfy(c -> assertThat(c.request().path("tools")).isEqualTo(tools));
                assertThat(calls).filteredOn(c -> c != lookup)
                        .allSatisfy(c -> assertThat(c.request().path("tool_choice").asString()).isEqualTo("none"));

                ChatCall plan = calls.stream().filter(c -> "plan".equals(c.schemaName())).findFirst().orElseThrow();
                assertThat(plan.messages()).filteredOn(m -> m.role().equals("tool")).extracting(ChatCall.Message::content)
                        .satisfiesExactly(
                                found -> assertThat(found).contains("### notes: Testing conventions"),
                                refused -> assertThat(refused).isEqualTo("Not looked up: there is no tool nobody."));
                assertThat(plan.last("user")).contains("Looked up (the answers are above): notes {\"query\":");

                List<JsonNode> lookedUp = events(task, "context.looked-up");
                assertThat(lookedUp).singleElement().satisfies(e -> {
                    assertThat(e.path("data").path("role").asString()).isEqualTo("notes");
                    assertThat(e.path("line").asString()).startsWith("grandpa looked up notes \"testing conventions\": 1 items");
                });
                assertCachedAfterTheLookup(task);
            }
        }
    }

    @Test
    void onTheRawPathGrandpaRendersTheToolsAndReadsTheCallsTheModelWrites() {
        try (var models = new Models("coder-a")) {
            models.grandpa.setTemplate(ChatTemplate.QWEN3); // grandpa renders ChatML itself: the raw path
            models.grandpa.respondWith(lookingUp(CALLS));
            try (var grandpa = Grandpa.start(properties(models, 2))) {
                JsonNode task = grandpa.awaitStatus(grandpa.submit("Add a health endpoint"), Duration.ofSeconds(60), "DONE");

                List<ChatCall> calls = models.grandpa.received();
                assertThat(calls).allSatisfy(c -> assertThat(c.request().path("prompt").asString())
                        .startsWith("<|im_start|>system\n").contains("\n\n# Tools\n\n", "\"name\": \"notes\""));
                String plan = calls.stream().filter(c -> "plan".equals(c.schemaName())).findFirst().orElseThrow()
                        .request().path("prompt").asString();
                assertThat(plan).contains(CALLS + "<|im_end|>\n<|im_start|>user\n<tool_response>\n",
                        "### notes: Testing conventions", "\n</tool_response>\n<tool_response>\nNot looked up: there is no "
                                + "tool nobody.\n</tool_response><|im_end|>\n");
                assertThat(events(task, "context.looked-up")).hasSize(1);
                assertCachedAfterTheLookup(task);
            }
        }
    }

    @Test
    void aReplanMayLookUpAgainWithWhatIsLeftOfTheTasksBudgetAndHearsWhyThePlanFailed() {
        try (var models = new Models("coder-a")) {
            var scripted = new StandInGrandpa();
            String two = "<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"billing runbook\"}}\n</tool_call>\n"
                    + "<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"testing conventions\"}}\n</tool_call>";
            Responder looking = lookingUp(two); // two each time: the budget of three cuts the second turn to one
            models.grandpa.respondWith(call -> "verdict".equals(call.schemaName()) && call.last("user").contains("Subtask tests: ")
                    ? Reply.text(StandInGrandpa.verdict("fail", 0.1, "These tests test nothing.")) : looking.answer(call));
            var properties = properties(models, 3);
            try (var grandpa = Grandpa.start(properties)) {
                JsonNode task = grandpa.awaitStatus(grandpa.submit("Write a CSV exporter"), Duration.ofSeconds(60), "DONE");
                assertThat(task.path("planVersion").asInt()).isEqualTo(2);

                List<ChatCall> turns = models.grandpa.received().stream()
                        .filter(c -> c.last("user").startsWith("Request: look up.")).toList();
                assertThat(turns).hasSize(2);
                assertThat(turns.get(0).last("user")).contains("Before you plan the task below", "at most 3 calls")
                        .doesNotContain("could not be finished");
                assertThat(turns.get(1).last("user")).contains("Before you plan the rest of the task below again",
                        "at most 1 calls", "The previous plan could not be finished: ");
                assertThat(events(task, "context.looked-up")).as("two before the first plan, one before the re-plan")
                        .hasSize(3);
                ChatCall replan = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName())
                        && c.last("user").contains("Plan version: 2")).findFirst().orElseThrow();
                assertThat(replan.messages().getLast().role()).isEqualTo("user");
                assertThat(replan.messages().get(replan.messages().size() - 2).content())
                        .isEqualTo("Not looked up: at most 1 calls were allowed in this turn.");
            }
        }
    }

    @Test
    void aServerThatTakesNoToolsIsAskedForLookupsInAJsonSchema() {
        try (var models = new Models("coder-a")) {
            models.grandpa.withoutJinja(); // llama-server without --jinja refuses tools
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> "lookup".equals(call.schemaName())
                    ? Reply.text("{\"lookups\":[{\"role\":\"notes\",\"query\":\"testing conventions\",\"symbols\":[]},"
                            + "{\"role\":\"nobody\",\"query\":\"a tool that is not offered\"}]}")
                    : scripted.answer(call));
            try (var grandpa = Grandpa.start(properties(models, 2))) {
                JsonNode task = grandpa.awaitStatus(grandpa.submit("Add a health endpoint"), Duration.ofSeconds(60), "DONE");

                List<ChatCall> calls = models.grandpa.received();
                assertThat(calls).allSatisfy(c -> assertThat(c.request().has("tools")).isFalse());
                ChatCall lookup = calls.stream().filter(c -> "lookup".equals(c.schemaName())).findFirst().orElseThrow();
                assertThat(lookup.last("user")).startsWith("Request: look up.\n")
                        .contains("- notes: Searches the owner's notes", "at most 2 lookups",
                                "The context you will plan with already has:\n- notes: Billing service runbook");
                String plan = calls.stream().filter(c -> "plan".equals(c.schemaName())).findFirst().orElseThrow().last("user");
                assertThat(plan).contains("Looked up in notes: testing conventions\nContext:\n\n### notes: Testing conventions");
                assertThat(events(task, "context.looked-up")).singleElement()
                        .satisfies(e -> assertThat(e.path("data").path("answer").asString())
                                .contains("### notes: Testing conventions"));
                assertCachedAfterTheLookup(task);
            }
        }
    }

    /** The stand-in grandpa, writing these calls when offered the tools in a lookup turn. */
    private static Responder lookingUp(String calls) {
        var scripted = new StandInGrandpa();
        return call -> call.schemaName() == null && call.last("user").startsWith("Request: look up.")
                ? Reply.text(calls) : scripted.answer(call);
    }

    private static Map<String, Object> properties(Models models, int lookups) {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.putAll(models.properties(2, Duration.ofSeconds(5)));
        TaskContextIT.connection(properties, "voracle", "notes");
        TaskContextIT.role(properties, "notes", "voracle", "plan", "{query}");
        properties.put("grandpa.context.lookups", String.valueOf(lookups));
        return properties;
    }

    private static List<JsonNode> events(JsonNode task, String type) {
        return task.path("events").valueStream().filter(e -> e.path("type").asString().equals(type)).toList();
    }

    /** The lookup turn is one more turn of the session: the plan request finds all of it in the server's cache. */
    private static void assertCachedAfterTheLookup(JsonNode task) {
        List<JsonNode> planCalls = events(task, "model.call").stream()
                .filter(e -> e.path("data").path("purpose").asString().equals("plan")).toList();
        assertThat(planCalls).hasSize(2);
        assertThat(planCalls.get(1).path("data").path("cachedTokens").asInt())
                .isGreaterThanOrEqualTo(planCalls.get(0).path("data").path("promptTokens").asInt());
    }

}
