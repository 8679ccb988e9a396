package dev.familiar.grandpa.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.standin.ChatTemplate;
import dev.familiar.grandpa.runtime.standin.Reply;
import dev.familiar.grandpa.runtime.standin.StandInLlamaServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The raw-prompt model against the stand-in's /completion over real HTTP. */
class LlamaCompletionModelTest {

    static CompletableFuture<ChatResponse> ask(LlamaCompletionModel model, String question) {
        var done = new CompletableFuture<ChatResponse>();
        model.chat(ChatRequest.builder().messages(UserMessage.from(question)).build(), new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    @Test
    void anAnswerComesWithTheServersCountsAndAStalledStreamEndsAtTheTimeLimit() throws Exception {
        try (var server = StandInLlamaServer.start("grandpa", call -> Reply.text("ok, " + call.last("user")))) {
            server.setTemplate(ChatTemplate.QWEN3);
            var model = new LlamaCompletionModel(URI.create(server.baseUrl().replaceAll("/v1$", "/")), "grandpa", 0,
                    Duration.ofSeconds(2), PromptFormat.CHATML);
            ChatResponse answer = ask(model, "Request: judge.").get(10, TimeUnit.SECONDS);
            assertThat(answer.aiMessage().text()).isEqualTo("ok, Request: judge.");
            var timings = ((LlamaCompletionModel.Metadata) answer.metadata()).timings();
            assertThat(timings.promptN() + timings.cacheN()).isEqualTo(answer.tokenUsage().inputTokenCount()).isPositive();

            server.respondWith(call -> Reply.endlessStream()); // tokens that never finish
            long start = System.nanoTime();
            var stalled = ask(model, "Request: plan.");
            var error = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                    () -> stalled.get(20, TimeUnit.SECONDS));
            assertThat(error.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }
}
