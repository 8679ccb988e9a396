package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A LangChain4j chat model on llama-server's own {@code /completion}: grandpa renders the prompt
 * ({@link PromptFormat}) and the server evaluates exactly those bytes, on a pinned slot with
 * {@code cache_prompt}. A JSON schema in the request becomes llama-server's {@code json_schema}
 * (grammar-constrained output). Tools are rendered into the prompt as the model's template does; the calls
 * the model writes are its answer's text, which the caller reads ({@link PromptFormat#toolCalls}). The
 * answer is streamed; its {@code timings} come back in the response's {@link Metadata}. The call's timeout
 * bounds the whole answer, not only its first bytes.
 */
public final class LlamaCompletionModel implements StreamingChatModel {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The stream is read on the caller's thread, which stops it by being interrupted. */
    private static final StreamingHandle NOT_CANCELLABLE = new StreamingHandle() {
        @Override
        public void cancel() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    private final URI completionUri;
    private final String modelName;
    private final int slot;
    private final Duration timeout;
    private final PromptFormat format;
    private final HttpClient http;
    private final String apiKey;

    /** @param serverUrl the server's root ({@code http://host:port/}) */
    public LlamaCompletionModel(URI serverUrl, String modelName, int slot, Duration timeout, PromptFormat format) {
        this(serverUrl, modelName, slot, timeout, format, null);
    }

    /** @param apiKey the server's {@code --api-key}, sent with every request; null when it has none */
    public LlamaCompletionModel(URI serverUrl, String modelName, int slot, Duration timeout, PromptFormat format,
                                String apiKey) {
        this.apiKey = apiKey;
        this.completionUri = serverUrl.resolve("/completion");
        this.modelName = modelName;
        this.slot = slot;
        this.timeout = timeout;
        this.format = format;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The usual metadata, and llama-server's timings for the request. */
    public static final class Metadata extends ChatResponseMetadata {
        private final LlamaTimings timings;

        private Metadata(Builder builder) {
            super(builder);
            this.timings = builder.timings;
        }

        public LlamaTimings timings() {
            return timings;
        }

        static final class Builder extends ChatResponseMetadata.Builder<Builder> {
            private LlamaTimings timings;

            Builder timings(LlamaTimings timings) {
                this.timings = timings;
                return this;
            }

            @Override
            public Metadata build() {
                return new Metadata(this);
            }
        }
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        try {
            handler.onCompleteResponse(stream(request, handler));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handler.onError(e);
        } catch (RuntimeException | IOException e) {
            handler.onError(e);
        }
    }

    private ChatResponse stream(ChatRequest request, StreamingChatResponseHandler handler) throws IOException, InterruptedException {
        var body = new LinkedHashMap<String, Object>();
        // the session's tools are in every prompt, so that offering them in one turn costs no other turn its cache
        body.put("prompt", format.render(request.messages(),
                request.toolSpecifications() == null ? List.of() : request.toolSpecifications()));
        body.put("stream", true);
        body.put("cache_prompt", true);
        body.put("id_slot", slot);
        body.put("n_predict", request.maxOutputTokens() == null ? -1 : request.maxOutputTokens());
        if (request.responseFormat() != null && request.responseFormat().jsonSchema() != null) {
            body.put("json_schema", schema(request.responseFormat().jsonSchema()));
        }
        var post = HttpRequest.newBuilder(completionUri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            post.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<java.util.stream.Stream<String>> response = http.send(post.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String error;
            try (var lines = response.body()) {
                error = String.join("\n", lines.toList());
            }
            throw new HttpException(response.statusCode(), error);
        }
        var text = new StringBuilder();
        JsonNode last = null;
        var lines = response.body();
        var watchdog = new Watchdog(lines, timeout); // the request's timeout only covers the headers
        try (lines; watchdog) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (!line.startsWith("data: ")) {
                    continue; // blank separators; an error event would not start with data
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                String piece = chunk.path("content").asString("");
                if (!piece.isEmpty()) {
                    text.append(piece);
                    handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(NOT_CANCELLABLE));
                }
                if (chunk.path("stop").asBoolean(false)) {
                    last = chunk;
                    break;
                }
            }
        } catch (UncheckedIOException e) {
            if (!watchdog.fired()) {
                throw e.getCause();
            }
        }
        if (last == null && watchdog.fired()) {
            throw new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
        }
        if (last == null) {
            throw new IOException("llama-server ended the stream without its last chunk");
        }
        var usage = new TokenUsage(last.path("tokens_evaluated").asInt(0), last.path("tokens_predicted").asInt(0));
        FinishReason finish = "limit".equals(last.path("stop_type").asString("")) ? FinishReason.LENGTH : FinishReason.STOP;
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(text.toString()))
                .metadata(new Metadata.Builder().timings(LlamaTimings.from(last)).modelName(modelName)
                        .tokenUsage(usage).finishReason(finish).build())
                .build();
    }

    /** Closes the stream when the time is up, so a server that stops sending cannot hold the call. */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;
        private volatile boolean fired;

        Watchdog(AutoCloseable stream, Duration timeout) {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    fired = true;
                    stream.close();
                } catch (InterruptedException e) {
                    // the answer came in time
                } catch (Exception e) {
                    fired = true;
                }
            });
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /** The schema as JSON Schema, its name kept as the title. */
    private static Map<String, Object> schema(JsonSchema schema) {
        var map = new LinkedHashMap<String, Object>();
        if (schema.name() != null) {
            map.put("title", schema.name());
        }
        map.putAll(JsonSchemaElementUtils.toMap(schema.rootElement()));
        return map;
    }
}
