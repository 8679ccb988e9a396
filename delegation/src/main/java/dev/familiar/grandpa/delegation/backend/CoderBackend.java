package dev.familiar.grandpa.delegation.backend;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import java.time.Duration;
import java.util.List;

/** A live coder backend: its spec, a LangChain4j chat model for it, and a bulkhead of its slots. */
public final class CoderBackend {
    static final String SYSTEM_PROMPT = """
            You are a coder working for grandpa, an orchestrator. You receive one subtask of a larger goal.
            Do exactly that subtask and answer with the deliverable itself (code, tests, text), complete and
            ready to use. Meet every acceptance criterion. When feedback on an earlier attempt is given, fix
            what it names.""";

    private final BackendSpec spec;
    private final ChatModel model;
    private final Bulkhead bulkhead;

    public CoderBackend(BackendSpec spec) {
        this.spec = spec;
        this.model = OpenAiChatModel.builder()
                .baseUrl(spec.baseUrl())
                .apiKey(spec.apiKey() == null || spec.apiKey().isBlank() ? "none" : spec.apiKey())
                .modelName(spec.model())
                .timeout(spec.timeout())
                .maxRetries(0) // recovery is grandpa's, so that every try is recorded
                .build();
        // A full bulkhead queues the caller (up to the backend's timeout) instead of failing it.
        this.bulkhead = Bulkhead.of(spec.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(spec.slots())
                .maxWaitDuration(spec.timeout())
                .build());
    }

    public BackendSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public CoderReply complete(Assignment assignment) throws CallFailure {
        long start = System.nanoTime();
        try {
            bulkhead.acquirePermission();
        } catch (BulkheadFullException e) {
            throw new CallFailure(ErrorKind.BUSY, name() + ": all " + spec.slots() + " slots stayed busy", millisSince(start), e);
        }
        try {
            var response = model.chat(ChatRequest.builder().messages(messages(assignment)).build());
            long ms = millisSince(start);
            String text = response.aiMessage() == null ? null : response.aiMessage().text();
            if (text == null || text.isBlank()) {
                throw new CallFailure(ErrorKind.EMPTY_RESPONSE, name() + ": answered with no text", ms, null);
            }
            TokenUsage usage = response.tokenUsage();
            return new CoderReply(text,
                    response.finishReason() == null ? null : response.finishReason().name().toLowerCase(),
                    usage == null ? null : usage.inputTokenCount(),
                    usage == null ? null : usage.outputTokenCount(),
                    ms);
        } catch (CallFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw CallFailure.classify(name(), e, millisSince(start));
        } finally {
            bulkhead.onComplete();
        }
    }

    static List<ChatMessage> messages(Assignment a) {
        var user = new StringBuilder();
        user.append("Goal of the whole task: ").append(a.goal()).append("\n\n");
        user.append("Your subtask: ").append(a.title()).append("\n").append(a.instructions()).append('\n');
        if (!a.acceptanceCriteria().isEmpty()) {
            user.append("\nAcceptance criteria:\n");
            a.acceptanceCriteria().forEach(c -> user.append("- ").append(c).append('\n'));
        }
        for (String c : a.context()) {
            user.append("\n").append(c).append('\n');
        }
        if (a.feedback() != null && !a.feedback().isBlank()) {
            user.append("\nFeedback on your previous attempt (fix this):\n").append(a.feedback()).append('\n');
        }
        return List.of(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(user.toString()));
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
