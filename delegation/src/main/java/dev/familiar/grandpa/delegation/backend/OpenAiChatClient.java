package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;
import dev.familiar.grandpa.runtime.client.StreamedChat;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** An OpenAI-compatible chat endpoint, called through LangChain4j. */
final class OpenAiChatClient implements CoderClient {
    static final String SYSTEM_PROMPT = """
            You are a coder working for grandpa, an orchestrator. You receive one subtask of a larger goal.
            Do exactly that subtask and answer with the deliverable itself (code, tests, text), complete and
            ready to use. Meet every acceptance criterion. When feedback on an earlier attempt is given, fix
            what it names.""";
    /**
     * The most a coder may write in one answer: the tokens it is asked for, and the characters taken of a
     * streamed answer whatever the server sends (the rest is cut, as for length).
     */
    static final int MAX_TOKENS = 32_768;
    static final int MAX_CHARS = 4 << 20;
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final BackendSpec spec;
    private final ChatModel model;
    private final StreamingChatModel streaming;
    private final String apiKey;

    OpenAiChatClient(BackendSpec spec) {
        this.spec = spec;
        String key = spec.apiKeyEnv() == null ? null : System.getenv(spec.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? "none" : key;
        this.model = OpenAiChatModel.builder()
                .baseUrl(spec.baseUrl())
                .apiKey(apiKey)
                .modelName(spec.model())
                .timeout(spec.timeout())
                .maxRetries(0) // retries are the backend's Retry guard's, so that each is counted
                .build();
        this.streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(spec.baseUrl())
                .apiKey(apiKey)
                .modelName(spec.model())
                .timeout(spec.timeout())
                .build();
    }

    @Override
    public CoderReply call(Assignment assignment, Consumer<String> output) throws CallFailure {
        long start = System.nanoTime();
        try {
            var request = ChatRequest.builder().messages(messages(assignment)).maxOutputTokens(MAX_TOKENS).build();
            return reply(output == null ? model.chat(request) : stream(request, output), start);
        } catch (RuntimeException e) {
            throw CallFailure.classify(spec.name(), e, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Override
    public CoderReply ask(Question question) throws CallFailure {
        long start = System.nanoTime();
        try {
            return reply(model.chat(ChatRequest.builder()
                    .messages(List.of(SystemMessage.from(question.system()), UserMessage.from(question.prompt())))
                    .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(question.schema()).build())
                    .maxOutputTokens(question.maxTokens())
                    .build()), start);
        } catch (RuntimeException e) {
            throw CallFailure.classify(spec.name(), e, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private CoderReply reply(ChatResponse response, long start) throws CallFailure {
        long ms = (System.nanoTime() - start) / 1_000_000;
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null || text.isBlank()) {
            throw new CallFailure(ErrorKind.EMPTY_RESPONSE, spec.name() + ": answered with no text", ms, null);
        }
        TokenUsage usage = response.tokenUsage();
        return new CoderReply(text, response.finishReason() == null ? null : response.finishReason().name().toLowerCase(),
                usage == null ? null : usage.inputTokenCount(), usage == null ? null : usage.outputTokenCount(), ms);
    }

    /** Streams the answer, passing each piece on as it comes; cancelled when the caller's time is up. */
    private ChatResponse stream(ChatRequest request, Consumer<String> output) {
        try {
            return StreamedChat.call(streaming, request, output, spec.timeout(), MAX_CHARS).response();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(new InterruptedException("stream cancelled"));
        }
    }

    @Override
    public boolean probe() {
        try {
            var request = HttpRequest.newBuilder(URI.create(spec.baseUrl().replaceAll("/+$", "") + "/models"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + apiKey)
                    .GET().build();
            return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    static List<ChatMessage> messages(Assignment a) {
        return List.of(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(a.prompt()));
    }
}
