package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.ModelCall;
import dev.familiar.grandpa.runtime.session.OutputLimits;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.runtime.session.ResidentSession;
import dev.familiar.grandpa.runtime.session.SessionSettings;
import dev.familiar.grandpa.runtime.session.ToolUse;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import org.assertj.core.api.InstanceOfAssertFactories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.store.session.SessionRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The model session's history is kept in PostgreSQL, so a restarted grandpa finds the server's cache again. */
class SessionMemoryIT {

    @Test
    void aRestartedGrandpaContinuesTheSessionAndTheSlotStillHoldsItsPrompt() {
        try (var dataSource = TestPostgres.migratedDataSource();
             var server = StandInLlamaServer.start("grandpa", new StandInGrandpa())) {
            var repository = new SessionRepository(JdbcClient.create(dataSource));
            var properties = new ModelSettings(server.baseUrl(), "grandpa", null, Duration.ofSeconds(10), 0,
                    1_000_000, SessionSettings.Reasoning.KEEP, 0, SessionSettings.Api.CHAT,
                    dev.familiar.grandpa.runtime.client.PromptFormat.CHATML, OutputLimits.DEFAULT, null, null).session(0);
            String key = server.baseUrl() + "#slot0";
            UUID task = UUID.randomUUID();

            var before = new ResidentSession(properties, new StoredSessionMemory(repository, key), () -> null, call -> { });
            for (int i = 0; i < 3; i++) {
                before.ask(task, Purpose.INTEGRATE, Prompts.INTEGRATE + "Goal:\nwrite part " + i + "\n", null);
            }
            assertThat(repository.turns(key)).hasSize(3);

            var calls = new ArrayList<ModelCall>(); // grandpa restarted; the model server kept running
            var after = new ResidentSession(properties, new StoredSessionMemory(repository, key), () -> null, calls::add);
            after.ask(task, Purpose.INTEGRATE, Prompts.INTEGRATE + "Goal:\nwrite part 3\n", null);

            ModelCall first = calls.getFirst();
            assertThat(first.promptTokens() - first.cachedTokens()).as("evaluated again").isLessThan(100);
            assertThat(server.received().getLast().messages()).hasSize(1 + 2 * 3 + 1); // system, 3 turns, the new request
            assertThat(repository.turns(key)).hasSize(4);

            var forgetful = new ResidentSession(properties, () -> null, calls::add); // no memory: a new session
            forgetful.ask(task, Purpose.INTEGRATE, Prompts.INTEGRATE + "Goal:\nwrite part 4\n", null);
            assertThat(server.received().getLast().messages()).hasSize(2); // system and the request: nothing before it
        }
    }

    @Test
    void aToolTurnIsKeptWithItsCallsAndAnswersAndResentExactlyAfterARestart() {
        var tool = ToolSpecification.builder().name("notes").description("Searches the notes.")
                .parameters(JsonObjectSchema.builder().addStringProperty("query").required("query").build()).build();
        var scripted = new StandInGrandpa();
        Responder lookingUp = call -> call.last("user").startsWith("Request: look up.")
                ? Reply.text("<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"a\\u0000b\"}}\n</tool_call>")
                : scripted.answer(call);
        for (var api : new SessionSettings.Api[] {SessionSettings.Api.CHAT, SessionSettings.Api.COMPLETION}) {
            try (var dataSource = TestPostgres.migratedDataSource();
                 var server = StandInLlamaServer.start("grandpa", lookingUp)) {
                server.setTemplate(ChatTemplate.QWEN3);
                var repository = new SessionRepository(JdbcClient.create(dataSource));
                var properties = new ModelSettings(server.baseUrl(), "grandpa", null, Duration.ofSeconds(10), 0,
                        1_000_000, SessionSettings.Reasoning.KEEP, 0, api,
                        dev.familiar.grandpa.runtime.client.PromptFormat.CHATML, OutputLimits.DEFAULT, null, null).session(0);
                String key = server.baseUrl() + "#slot0";
                UUID task = UUID.randomUUID();
                var lookup = new ArrayList<ModelCall>();
                var before = new ResidentSession(properties, new StoredSessionMemory(repository, key), () -> null,
                        lookup::add, progress -> { }, List.of(tool));
                var used = before.callTools(task, Purpose.PLAN, "Request: look up.\n", 1, call -> "found " + call.arguments());
                assertThat(used).get().asInstanceOf(InstanceOfAssertFactories.LIST).singleElement()
                        .satisfies(u -> assertThat(((ToolUse) u).answer()).startsWith("found {"));
                assertThat(repository.turns(key)).singleElement().satisfies(t -> {
                    assertThat(t.toolUses()).contains("\"name\": \"notes\"").contains("found {");
                    assertThat(t.callsWritten()).as(api + ": the raw path keeps the calls in the answer's text")
                            .isEqualTo(api == SessionSettings.Api.COMPLETION);
                });

                var calls = new ArrayList<ModelCall>(); // grandpa restarted; the model server kept running
                var after = new ResidentSession(properties, new StoredSessionMemory(repository, key), () -> null,
                        calls::add, progress -> { }, List.of(tool));
                after.ask(task, Purpose.PLAN, "Request: plan.\nGoal:\nx\n", null);
                ModelCall plan = calls.getFirst();
                assertThat(plan.cachedTokens()).as(api + ": the lookup turn's prompt and its calls are in the cache")
                        .isGreaterThanOrEqualTo(lookup.getFirst().promptTokens() + lookup.getFirst().predictedTokens());
            }
        }
    }
}
