package dev.familiar.grandpa.runtime.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.client.LlamaCompletionModel;
import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.runtime.client.StreamedChat;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's raw-prompt chat model against real llama.cpp: a tiny random-weight model written by our
 * GGUF writer, loaded and run by llama.cpp's server code (CPU) in a process of its own, behind
 * llama-server's /completion. How much of each prompt llama.cpp kept in its slot is read from its own
 * log ("kv cache rm [N, end)"). llama.cpp never evaluates the last token it sampled, so after an
 * answer cut off by the token limit it holds one token less than the prompt and answer.
 */
class RealLlamaCppIT {

    @TempDir
    static Path dir;
    static RealLlamaCpp llamaCpp;
    static Path gguf;
    static String baseUrl;
    /** For each request served, in order, the tokens llama.cpp kept in its slot. */
    static List<Integer> kept;

    @BeforeAll
    static void start() throws Exception {
        llamaCpp = RealLlamaCpp.start(dir);
        gguf = llamaCpp.model();
        baseUrl = llamaCpp.baseUrl();
        kept = llamaCpp.kept();
    }

    @AfterAll
    static void stop() {
        llamaCpp.close();
    }

    static int tokens(String text) {
        try (var http = HttpClient.newHttpClient()) {
            return Integer.parseInt(http.send(HttpRequest.newBuilder(URI.create(baseUrl + "tokenize"))
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer, the counts our client read, and what llama.cpp's log says it kept. */
    record Turn(String answer, LlamaTimings timings, int keptByLlamaCpp, FinishReason finish) {}

    static Turn ask(LlamaCompletionModel model, List<ChatMessage> messages, JsonSchema schema) {
        return ask(model, messages, schema, 32);
    }

    static Turn ask(LlamaCompletionModel model, List<ChatMessage> messages, JsonSchema schema, int maxTokens) {
        var request = ChatRequest.builder().messages(messages).maxOutputTokens(maxTokens);
        if (schema != null) {
            request.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build());
        }
        int served = kept.size();
        ChatResponse response;
        try {
            response = StreamedChat.call(model, request.build(), piece -> { }, Duration.ofSeconds(60)).response();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kept.size() > served);
        return new Turn(response.aiMessage().text(), ((LlamaCompletionModel.Metadata) response.metadata()).timings(),
                kept.get(served), response.finishReason());
    }

    /** Runs a session of six requests; {@code resend} is how earlier answers go back in the history. */
    static List<Turn> session(String name, UnaryOperator<String> resend) {
        var model = new LlamaCompletionModel(URI.create(baseUrl), "tiny", 0, Duration.ofSeconds(60), PromptFormat.CHATML);
        var answers = new ArrayList<String>();
        var turns = new ArrayList<Turn>();
        for (int i = 0; i < 6; i++) {
            var messages = new ArrayList<ChatMessage>(List.of(SystemMessage.from("You are grandpa, session " + name + ".")));
            for (int j = 0; j < i; j++) {
                messages.add(UserMessage.from("Request: judge subtask " + j + "."));
                messages.add(AiMessage.from(resend.apply(answers.get(j))));
            }
            messages.add(UserMessage.from("Request: judge subtask " + i + "."));
            Turn turn = ask(model, messages, null);
            answers.add(turn.answer());
            turns.add(turn);
        }
        return turns;
    }

    @Test
    void llamaCppLoadsTheModelOurWriterMadeAndReadsItAsOurReaderDoes() throws Exception {
        var model = GgufReader.readModel(gguf);
        assertThat(model.metadata().get("general.architecture")).isEqualTo("llama");
        assertThat(model.tensors()).hasSize(3 + 2 * 9);
        // llama.cpp tokenizes ChatML's markers as the single control tokens the vocabulary declares
        assertThat(tokens("<|im_start|>user\nhi<|im_end|>"))
                .isEqualTo(1 + "user\nhi".length() + 1);
    }

    @Test
    void aSessionGrandpaRendersItselfFindsAllOfItsPreviousPromptAndAnswerInRealLlamaCppsSlot() {
        List<Turn> turns = session("exact", answer -> answer);
        for (int i = 1; i < turns.size(); i++) {
            Turn previous = turns.get(i - 1);
            int held = previous.timings().cacheN() + previous.timings().promptN() + tokens(previous.answer());
            assertThat(turns.get(i).keptByLlamaCpp()).as("request %d", i).isBetween(held - 1, held);
            assertThat(turns.get(i).timings().cacheN()).as("our count, request %d", i)
                    .isBetween(turns.get(i).keptByLlamaCpp(), turns.get(i).keptByLlamaCpp() + 1);
        }
    }

    @Test
    void answersResentDifferentlyFromHowTheModelWroteThemAreEvaluatedAgain() {
        // the seed's mistake: the client re-inserts a reasoning marker the model never wrote
        List<Turn> turns = session("naive", answer -> "</think>" + answer);
        for (int i = 1; i < turns.size(); i++) {
            Turn previous = turns.get(i - 1);
            int previousPrompt = previous.timings().cacheN() + previous.timings().promptN();
            assertThat(turns.get(i).keptByLlamaCpp()).as("request %d", i).isEqualTo(previousPrompt);
            assertThat(tokens(previous.answer())).isPositive(); // so the answer was evaluated again
        }
    }

    @Test
    void aJsonSchemaBecomesLlamaCppsGrammarAndTheAnswerIsThatJson() {
        var model = new LlamaCompletionModel(URI.create(baseUrl), "tiny", 0, Duration.ofSeconds(60), PromptFormat.CHATML);
        var schema = JsonSchema.builder().name("verdict").rootElement(JsonObjectSchema.builder()
                .addEnumProperty("verdict", List.of("pass", "revise", "fail")).required("verdict").build()).build();
        Turn turn = ask(model, List.of(UserMessage.from("Request: judge.")), schema);
        assertThat(JsonMapper.builder().build().readTree(turn.answer()).path("verdict").asString())
                .isIn("pass", "revise", "fail");
    }

    @Test
    void anAnswerThatCannotEndSoonStopsAtItsTokenLimitAndIsMarkedCutOff() {
        var model = new LlamaCompletionModel(URI.create(baseUrl), "tiny", 0, Duration.ofSeconds(60), PromptFormat.CHATML);
        // the grammar allows no end before 500 characters of feedback: only the limit stops it
        var endless = JsonSchema.builder().name("verdict").rootElement(JsonRawSchema.from(
                "{\"type\":\"object\",\"required\":[\"feedback\"],"
                        + "\"properties\":{\"feedback\":{\"type\":\"string\",\"minLength\":500}}}")).build();
        Turn turn = ask(model, List.of(UserMessage.from("Request: judge.")), endless, 16);
        assertThat(turn.finish()).as(turn.toString()).isEqualTo(FinishReason.LENGTH);
        assertThat(turn.timings().predictedN()).isBetween(1, 16);
        assertThat(turn.answer()).startsWith("{");
    }
}
