package dev.familiar.grandpa.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every call to grandpa's model is bounded: in tokens per purpose, and in time, streaming included. */
class ResidentSessionTest {
    /** As long as grandpa's own (about 1,500 characters), so the start-over budgets below are its. */
    static final String SYSTEM = "You are a session under test. Answer as asked, in the form asked.\n".repeat(23);

    static SessionSettings settings(StandInLlamaServer server, Duration timeout, SessionSettings.Api api) {
        return new SessionSettings(server.baseUrl(), "grandpa", null, null, timeout, 0, 1_000_000,
                SessionSettings.Reasoning.KEEP, 0, api, PromptFormat.CHATML, new OutputLimits(300, 100, 500), SYSTEM);
    }

    @Test
    void eachPurposeSendsItsOwnTokenLimitOverBothApis() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok"))) {
            for (var api : SessionSettings.Api.values()) {
                var session = new ResidentSession(settings(server, Duration.ofSeconds(10), api), () -> null, call -> { });
                session.ask(UUID.randomUUID(), Purpose.PLAN, "Request: plan.\n" + "x", null);
                session.ask(UUID.randomUUID(), Purpose.JUDGE, "Request: judge.\n" + "x", null);
                var received = server.received();
                var field = session.promptMode().api() == SessionSettings.Api.CHAT ? "max_tokens" : "n_predict";
                assertThat(received.get(received.size() - 2).request().path(field).asInt()).isEqualTo(300);
                assertThat(received.getLast().request().path(field).asInt()).isEqualTo(100);
            }
        }
    }

    @Test
    void aStreamThatNeverEndsIsCutOffAtTheTimeoutOverBothApis() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.endlessStream())) {
            for (var api : SessionSettings.Api.values()) {
                var session = new ResidentSession(settings(server, Duration.ofSeconds(1), api), () -> null, call -> { });
                long start = System.nanoTime();
                assertThatThrownBy(() -> session.ask(UUID.randomUUID(), Purpose.PLAN, "Request: plan.\n" + "x", null))
                        .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(api.name()).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void anAnswerCutOffAtItsLimitIsAskedForOnceMoreBrieflyAndKeptOutOfTheHistory() {
        try (var server = StandInLlamaServer.start("grandpa", call -> call.last("user").contains("judge this")
                && !call.last("user").contains("more briefly") ? Reply.text("x".repeat(1000)) : Reply.text("short"))) {
            var calls = new ArrayList<ModelCall>();
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.CHAT), () -> null,
                    calls::add);
            assertThat(session.askWithinLimit(UUID.randomUUID(), Purpose.JUDGE, "Request: judge.\n" + "judge this", null))
                    .isEqualTo("short");
            assertThat(calls).hasSize(2); // both measured, the cut-off one too
            assertThat(server.received().getLast().last("user")).contains("cut off at its limit of 100 tokens");
            // the cut answer is not in the history the next request carries
            session.ask(UUID.randomUUID(), Purpose.JUDGE, "Request: judge.\n" + "next", null);
            assertThat(server.received().getLast().messages()).extracting(m -> m.content()).noneMatch(c -> c.startsWith("xxx"));
        }
    }

    @Test
    void cutOffTwiceFailsTheStep() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("x".repeat(1000)))) {
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.COMPLETION),
                    () -> null, call -> { });
            assertThatThrownBy(() -> session.askWithinLimit(UUID.randomUUID(), Purpose.INTEGRATE, "Request: integrate.\n" + "x", null))
                    .isInstanceOf(CutOffException.class).hasMessageContaining("limit of 500 tokens");
        }
    }

    @Test
    void byDefaultTheRawFormatIsUsedWhenTheServersOwnTemplateRendersExactlyAsGrandpa() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok"))) {
            server.setTemplate(ChatTemplate.QWEN3);
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.AUTO), () -> null,
                    call -> { });
            session.ask(UUID.randomUUID(), Purpose.PLAN, "Request: plan.\n" + "x", null);
            assertThat(session.promptMode()).satisfies(mode -> {
                assertThat(mode.api()).isEqualTo(SessionSettings.Api.COMPLETION);
                assertThat(mode.format()).isEqualTo(PromptFormat.CHATML);
                assertThat(mode.reason()).contains("exactly");
                assertThat(mode.contextPerSlot()).isEqualTo(32768);
            });
            assertThat(server.exchanges()).extracting(StandInLlamaServer.Exchange::path)
                    .containsSubsequence("/props", "/apply-template", "/completion");
        }
    }

    @Test
    void aTemplateNoRawFormatRendersKeepsTheChatApiAndSaysWhy() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok"))) {
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.AUTO), () -> null,
                    call -> { });
            session.ask(UUID.randomUUID(), Purpose.PLAN, "Request: plan.\n" + "x", null);
            assertThat(session.promptMode().api()).isEqualTo(SessionSettings.Api.CHAT);
            assertThat(session.promptMode().reason()).contains("neither ChatML (Qwen) nor GLM");
            assertThat(server.exchanges().getLast().path()).isEqualTo("/v1/chat/completions");
        }
    }

    @Test
    void theSessionStartsOverWithinTheServersContextKeepingTheCurrentTasksLatestTurns() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok"))) {
            server.setTemplate(ChatTemplate.QWEN3);
            int system = SYSTEM.length();
            server.setContext(system + 2_000, 1); // a token is a byte on the stand-in
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.AUTO), () -> null,
                    call -> { });
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            session.ask(a, Purpose.JUDGE, "Request: judge.\n" + "task A, first " + "a".repeat(300), null);
            session.ask(b, Purpose.JUDGE, "Request: judge.\n" + "task B, first " + "b".repeat(300), null);
            session.ask(a, Purpose.JUDGE, "Request: judge.\n" + "task A, second " + "a".repeat(300), null);
            session.ask(b, Purpose.JUDGE, "Request: judge.\n" + "task B, second " + "b".repeat(300), null);
            assertThat(server.received().getLast().messages()).hasSize(1 + 2 * 3 + 1); // all of it still fits

            session.ask(b, Purpose.JUDGE, "Request: judge.\n" + "task B, third " + "b".repeat(600), null);
            var kept = server.received().getLast().messages().stream().map(m -> m.content()).toList();
            assertThat(kept.getFirst()).isEqualTo(SYSTEM);
            assertThat(kept).noneMatch(c -> c.contains("task A"));
            assertThat(kept).anyMatch(c -> c.contains("task B, second")).anyMatch(c -> c.contains("task B, third"));
            int promptTokens = server.received().getLast().promptText(ChatTemplate.QWEN3).length();
            assertThat(promptTokens + 100).isLessThanOrEqualTo(system + 2_000); // room left for the answer
        }
    }

    static final ToolSpecification NOTES = ToolSpecification.builder().name("notes").description("Searches the notes.")
            .parameters(JsonObjectSchema.builder().addStringProperty("query").required("query").build()).build();

    @Test
    void toolsAreOfferedInTheTemplatesOwnSyntaxOnlyWhereTheServerTakesThemThatWay() {
        record Case(ChatTemplate template, boolean jinja, SessionSettings.Api api, boolean nativeTools) {}
        for (var c : List.of(new Case(ChatTemplate.QWEN3, true, SessionSettings.Api.COMPLETION, true),
                new Case(ChatTemplate.QWEN3, false, SessionSettings.Api.COMPLETION, false), // its rendering unchecked
                new Case(ChatTemplate.PLAIN, true, SessionSettings.Api.CHAT, true),
                new Case(ChatTemplate.PLAIN, false, SessionSettings.Api.CHAT, false))) {
            try (var server = StandInLlamaServer.start("grandpa", call -> call.last("user").startsWith("Request: look up.")
                    ? Reply.text("<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"a\"}}\n</tool_call>")
                    : Reply.text("ok"))) {
                server.setTemplate(c.template());
                if (!c.jinja()) {
                    server.withoutJinja();
                }
                var session = new ResidentSession(settings(server, Duration.ofSeconds(10), SessionSettings.Api.AUTO),
                        SessionMemory.NONE, () -> null, call -> { }, progress -> { }, List.of(NOTES));
                var used = session.callTools(UUID.randomUUID(), Purpose.PLAN, "Request: look up.\n", 3, call -> "found");
                assertThat(session.promptMode().api()).as(c.toString()).isEqualTo(c.api());
                assertThat(session.promptMode().nativeTools()).as(c.toString()).isEqualTo(c.nativeTools());
                if (c.nativeTools()) {
                    assertThat(used.orElseThrow()).singleElement().satisfies(u -> {
                        assertThat(u.name()).isEqualTo("notes");
                        assertThat(u.arguments().replace(" ", "")).isEqualTo("{\"query\":\"a\"}");
                        assertThat(u.answer()).isEqualTo("found");
                    });
                } else {
                    assertThat(used).as(c + ": asked in a JSON schema instead").isEmpty();
                    assertThat(server.received()).noneMatch(call -> call.request().has("tools"));
                }
            }
        }
    }
}
