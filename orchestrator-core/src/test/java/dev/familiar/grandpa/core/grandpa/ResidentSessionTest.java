package dev.familiar.grandpa.core.grandpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every call to grandpa's model is bounded: in tokens per purpose, and in time, streaming included. */
class ResidentSessionTest {
    static ModelSettings settings(StandInLlamaServer server, Duration timeout, ModelSettings.Api api) {
        return new ModelSettings(server.baseUrl(), "grandpa", null, timeout, 0, 1_000_000, ModelSettings.Reasoning.KEEP, 0,
                api, PromptFormat.CHATML, new ModelSettings.OutputLimits(300, 100, 500));
    }

    @Test
    void eachPurposeSendsItsOwnTokenLimitOverBothApis() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok"))) {
            for (var api : ModelSettings.Api.values()) {
                var session = new ResidentSession(settings(server, Duration.ofSeconds(10), api), () -> null, call -> { });
                session.ask(UUID.randomUUID(), Purpose.PLAN, Prompts.PLAN + "x", null);
                session.ask(UUID.randomUUID(), Purpose.JUDGE, Prompts.JUDGE + "x", null);
                var received = server.received();
                var field = api == ModelSettings.Api.CHAT ? "max_tokens" : "n_predict";
                assertThat(received.get(received.size() - 2).request().path(field).asInt()).isEqualTo(300);
                assertThat(received.getLast().request().path(field).asInt()).isEqualTo(100);
            }
        }
    }

    @Test
    void aStreamThatNeverEndsIsCutOffAtTheTimeoutOverBothApis() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.endlessStream())) {
            for (var api : ModelSettings.Api.values()) {
                var session = new ResidentSession(settings(server, Duration.ofSeconds(1), api), () -> null, call -> { });
                long start = System.nanoTime();
                assertThatThrownBy(() -> session.ask(UUID.randomUUID(), Purpose.PLAN, Prompts.PLAN + "x", null))
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
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), ModelSettings.Api.CHAT), () -> null,
                    calls::add);
            assertThat(session.askWithinLimit(UUID.randomUUID(), Purpose.JUDGE, Prompts.JUDGE + "judge this", null))
                    .isEqualTo("short");
            assertThat(calls).hasSize(2); // both measured, the cut-off one too
            assertThat(server.received().getLast().last("user")).contains("cut off at its limit of 100 tokens");
            // the cut answer is not in the history the next request carries
            session.ask(UUID.randomUUID(), Purpose.JUDGE, Prompts.JUDGE + "next", null);
            assertThat(server.received().getLast().messages()).extracting(m -> m.content()).noneMatch(c -> c.startsWith("xxx"));
        }
    }

    @Test
    void cutOffTwiceFailsTheStep() {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("x".repeat(1000)))) {
            var session = new ResidentSession(settings(server, Duration.ofSeconds(10), ModelSettings.Api.COMPLETION),
                    () -> null, call -> { });
            assertThatThrownBy(() -> session.askWithinLimit(UUID.randomUUID(), Purpose.INTEGRATE, Prompts.INTEGRATE + "x", null))
                    .isInstanceOf(CutOffException.class).hasMessageContaining("limit of 500 tokens");
        }
    }
}
