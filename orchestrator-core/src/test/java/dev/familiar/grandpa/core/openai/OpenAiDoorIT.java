package dev.familiar.grandpa.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible door with two clients we did not write: LangChain4j's OpenAI chat models (whole
 * and streamed) and the {@code openai} npm package run by node. A chat message becomes a task; while it
 * runs its progress streams as reasoning; the answer is its result and names the task; the next
 * message of the conversation continues a blocked task. The models behind are stand-ins (over HTTP).
 */
class OpenAiDoorIT {
    static final Pattern MARK = Pattern.compile("\\(grandpa task ([0-9a-f-]{36})\\)");
    static Models models;
    static Grandpa service;
    /** While set, the stand-in grandpa cannot plan a goal that says "impossible". */
    static final AtomicBoolean impossible = new AtomicBoolean(true);

    @BeforeAll
    static void start() {
        models = new Models("coder-a");
        var scripted = new StandInGrandpa();
        models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && impossible.get()
                && call.last("user").contains("impossible") ? Reply.text("{\"subtasks\": []}") : scripted.answer(call));
        models.coder("coder-a").respondWith(call -> Reply.text("// done by the stand-in coder\n").after(Duration.ofMillis(400)));
        var p = Grandpa.defaults(TestPostgres.newDatabase());
        p.putAll(models.properties(1, Duration.ofSeconds(30)));
        service = Grandpa.start(p);
    }

    @AfterAll
    static void stop() {
        service.close();
        models.close();
    }

    @Test
    void aChatMessageBecomesATaskAndTheAnswerIsItsResult() {
        var chat = OpenAiChatModel.builder().baseUrl(service.url("/v1")).apiKey(Grandpa.OPERATOR).modelName("grandpa")
                .timeout(Duration.ofMinutes(2)).build();
        String answer = chat.chat("Add a /healthz endpoint to the billing service");
        UUID id = task(answer);
        JsonNode task = service.task(id);
        assertThat(task.path("status").asString()).isEqualTo("DONE");
        assertThat(answer).startsWith(task.path("result").asString().strip());
        assertThat(task.path("goal").asString()).isEqualTo("Add a /healthz endpoint to the billing service");
        assertThat(task.path("labels").toString()).contains("openai");
    }

    @Test
    void aStreamedAnswerShowsProgressWhileTheTaskRuns() throws Exception {
        var chat = OpenAiStreamingChatModel.builder().baseUrl(service.url("/v1")).apiKey(Grandpa.OPERATOR)
                .modelName("grandpa").timeout(Duration.ofMinutes(2)).returnThinking(true).build();
        var thinking = new CopyOnWriteArrayList<String>();
        var statusAtFirstPiece = new CompletableFuture<String>();
        var content = new StringBuilder();
        var done = new CompletableFuture<ChatResponse>();
        chat.chat(List.of(UserMessage.from("Write a changelog generator")), new StreamingChatResponseHandler() {
            @Override
            public void onPartialThinking(PartialThinking partial) {
                if (thinking.isEmpty()) {
                    statusAtFirstPiece.complete(statusOfNewest());
                }
                thinking.add(partial.text());
            }

            @Override
            public void onPartialResponse(String partial) {
                content.append(partial);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall toolCall) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(2, TimeUnit.MINUTES);
        assertThat(statusAtFirstPiece.get()).isNotEqualTo("DONE"); // progress came while the task ran
        assertThat(String.join("", thinking)).contains("plan v1: 3 subtasks", " -> coder-a", "accepted (coder-a)");
        UUID id = task(content.toString());
        assertThat(response.aiMessage().text()).isEqualTo(content.toString());
        assertThat(service.task(id).path("status").asString()).isEqualTo("DONE");
    }

    @Test
    void theNextMessageOfAConversationResumesItsBlockedTask() {
        var chat = OpenAiChatModel.builder().baseUrl(service.url("/v1")).apiKey(Grandpa.OPERATOR).modelName("grandpa")
                .timeout(Duration.ofMinutes(2)).build();
        impossible.set(true);
        var first = UserMessage.from("An impossible task");
        String blocked = chat.chat(first).aiMessage().text();
        UUID id = task(blocked);
        assertThat(blocked).contains("grandpa could not finish this");
        assertThat(service.task(id).path("status").asString()).isEqualTo("BLOCKED");

        impossible.set(false);
        String answer = chat.chat(first, AiMessage.from(blocked), UserMessage.from("It is possible now: try again"))
                .aiMessage().text();
        assertThat(task(answer)).isEqualTo(id);
        JsonNode task = service.task(id);
        assertThat(task.path("status").asString()).isEqualTo("DONE");
        assertThat(task.path("events").toString()).contains("It is possible now: try again"); // the resume note
    }

    @Test
    void wrongModelsMessagesAndRolesAreRefusedInOpenAisShape() {
        var badModel = service.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(badModel.status()).isEqualTo(404);
        assertThat(badModel.body().path("error").path("code").asString()).isEqualTo("model_not_found");
        var noUser = service.post("/v1/chat/completions", "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}");
        assertThat(noUser.status()).isEqualTo(400);
        assertThat(noUser.body().path("error").path("message").asString()).contains("no user message");
        var viewer = service.post("/v1/chat/completions", "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                java.util.Map.of("Authorization", "Bearer " + Grandpa.VIEWER));
        assertThat(viewer.status()).isEqualTo(403);
        var anonymous = Grandpa.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.url("/v1/models"))).GET().build());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(service.get("/v1/models").body().path("data").get(0).path("id").asString()).isEqualTo("grandpa");
    }

    @Test
    void whatItCannotDoAndEveryRefusalComeInOpenAisShape() {
        String user = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        for (String body : new String[] {
                "{\"model\":\"grandpa\"," + user + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}",
                "{\"model\":\"grandpa\"," + user + ",\"n\":2}",
                "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"data:x\"}}]}]}",
                "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\u0000b\"}]}",
                "{\"model\":\"grandpa\"," + user}) { // the last one is not JSON
            var refused = service.post("/v1/chat/completions", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.body().path("error").path("message").asString()).as(body).isNotBlank();
            assertThat(refused.body().path("error").path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(refused.body().has("detail")).isFalse();
        }
        var anonymous = Grandpa.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.url("/v1/chat/completions")))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().path("error").path("code").asString()).isEqualTo("invalid_api_key");
        var viewer = service.post("/v1/chat/completions", "{\"model\":\"grandpa\"," + user + "}",
                java.util.Map.of("Authorization", "Bearer " + Grandpa.VIEWER));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.body().path("error").path("code").asString()).isEqualTo("insufficient_permissions");
    }

    @Test
    void aStrictParserReadsTheStreamAndTheUsageComesLastWhenAskedFor() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(service.request("/v1/chat/completions")
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"grandpa\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Count the usage\"}]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        // events: lines of "data: <json>" (or ": comment"), each event ended by a blank line; "data: [DONE]" last
        String[] events = response.body().split("\n\n");
        var data = new java.util.ArrayList<String>();
        for (String event : events) {
            for (String line : event.split("\n")) {
                assertThat(line).as("a line of the stream").matches("(data: .+|: .*)");
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode usage = Grandpa.JSON.readTree(data.get(data.size() - 2));
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.path("usage").path("total_tokens").asLong()).isPositive()
                .isEqualTo(usage.path("usage").path("prompt_tokens").asLong() + usage.path("usage").path("completion_tokens").asLong());
        JsonNode stop = Grandpa.JSON.readTree(data.get(data.size() - 3));
        assertThat(stop.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");

        var whole = service.post("/v1/chat/completions", "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Count the usage whole\"}]}");
        assertThat(whole.body().path("usage").path("total_tokens").asLong()).isPositive();
    }

    @Test
    void theOpenaiNpmClientStreamsTheProgressThenTheResult() throws Exception {
        Path dir = Path.of("src/test/node").toAbsolutePath();
        Process node = new ProcessBuilder("node", "openai-door.mjs", service.url("/v1"), Grandpa.OPERATOR,
                "Add a /metrics endpoint").directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(out).isZero();
        JsonNode result = Grandpa.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(result.path("models").toString()).contains("\"grandpa\"");
        List<JsonNode> pieces = result.path("pieces").valueStream().toList();
        int firstReasoning = indexOf(pieces, "reasoning");
        int firstContent = indexOf(pieces, "content");
        assertThat(firstReasoning).isNotNegative().isLessThan(firstContent);
        assertThat(pieces.get(firstContent).path("ms").asLong() - pieces.get(firstReasoning).path("ms").asLong())
                .as("progress came while the task ran, well before its result").isGreaterThan(500);
        String content = pieces.stream().map(p -> p.path("content").asString("")).reduce("", String::concat);
        assertThat(service.task(task(content)).path("status").asString()).isEqualTo("DONE");
        assertThat(pieces.getLast().path("finish").asString()).isEqualTo("stop");
    }

    private static int indexOf(List<JsonNode> pieces, String field) {
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).hasNonNull(field) && !pieces.get(i).path(field).asString().isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    private static String statusOfNewest() {
        return service.get("/api/tasks?size=1").body().path("items").get(0).path("status").asString();
    }

    private static UUID task(String answer) {
        Matcher m = MARK.matcher(answer);
        assertThat(m.find()).as("the answer names its task: " + answer).isTrue();
        return UUID.fromString(m.group(1));
    }
}
