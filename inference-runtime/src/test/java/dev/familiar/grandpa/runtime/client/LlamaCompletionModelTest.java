package dev.familiar.grandpa.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The raw-prompt model against the stand-in's /completion over real HTTP. */
class LlamaCompletionModelTest {

    static ChatResponse ask(LlamaCompletionModel model, String question) throws InterruptedException {
        return StreamedChat.call(model, ChatRequest.builder().messages(UserMessage.from(question)).build(), piece -> { }, Duration.ofSeconds(60))
                .response();
    }

    @Test
    void anAnswerComesWithTheServersCountsAndAStalledStreamEndsAtTheTimeLimit() throws Exception {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok, " + call.last("user")))) {
            server.setTemplate(ChatTemplate.QWEN3);
            var model = new LlamaCompletionModel(URI.create(server.baseUrl().replaceAll("/v1$", "/")), "grandpa", 0,
                    Duration.ofSeconds(2), PromptFormat.CHATML);
            ChatResponse answer = ask(model, "Request: judge.");
            assertThat(answer.aiMessage().text()).isEqualTo("ok, Request: judge.");
            var timings = ((LlamaCompletionModel.Metadata) answer.metadata()).timings();
            assertThat(timings.promptN() + timings.cacheN()).isEqualTo(answer.tokenUsage().inputTokenCount()).isPositive();

            server.respondWith(call -> Reply.endlessStream()); // tokens that never finish
            long start = System.nanoTime();
            assertThatThrownBy(() -> ask(model, "Request: plan.")).hasRootCauseInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }
}
