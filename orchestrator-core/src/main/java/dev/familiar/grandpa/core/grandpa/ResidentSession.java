package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.delegation.backend.CallFailure;
import dev.familiar.grandpa.runtime.client.LlamaCompletionModel;
import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.client.SlotStore;
import dev.familiar.grandpa.runtime.client.StreamedChat;
import dev.familiar.grandpa.store.session.SessionTurn;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's own model as one resident session on one pinned llama-server slot, asked through a
 * LangChain4j streaming chat model: chat completions, or raw prompts grandpa renders itself
 * ({@link Api#COMPLETION}, so no server template re-renders the history). Every request is the same
 * system prompt, the history so far exactly as it was sent and answered, and the new request, so the
 * server finds all but the new request in its prompt cache ({@code cache_prompt}, {@code id_slot}).
 * Reasoning ({@code <think>...</think>}) is handled by one policy on every request: kept in the
 * history as the model wrote it, or dropped from it (which costs the cache from the first answer on:
 * the seed's misses). Callers get the answer without its reasoning. When the history outgrows its
 * budget the session starts over. The history is kept turn by turn ({@link SessionMemory}), so a
 * restarted grandpa continues the session. Every few calls the slot is saved on the server
 * ({@code /slots/{id}?action=save}); after the server was restarted it is restored before the next
 * call, so the session's cache survives that restart too.
 */
public class ResidentSession implements GrandpaModel {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(ResidentSession.class);
    private static final Pattern THINK = Pattern.compile("(?s)^\\s*<think>.*?</think>\\s*");

    private final StreamingChatModel chat;
    private final String baseUrl;
    private final Supplier<String> notReady;
    private final Consumer<ModelCall> calls;
    private final ModelSettings.Reasoning reasoning;
    private final int sessionChars;
    private final List<ChatMessage> history = new ArrayList<>();
    private final SlotStore slots;
    private final int slot;
    private final int checkpointEvery;
    private int historyChars;
    private int sinceCheckpoint;
    private boolean checkpointed;
    private boolean restorePending;
    private final SessionMemory memory;
    private final ModelSettings.OutputLimits maxTokens;
    private final Duration timeout;

    /**
     * @param notReady why the model's server cannot answer now (loading, restarting), or null
     * @param calls    receives every call's measurements
     */
    public ResidentSession(ModelSettings properties, Supplier<String> notReady, Consumer<ModelCall> calls) {
        this(properties, SessionMemory.NONE, notReady, calls);
    }

    /**
     * @param memory where the history is kept between runs: it is read back here, so a restarted
     *               grandpa sends the same prompt prefix and finds it in the server's slot
     */
    public ResidentSession(ModelSettings properties, SessionMemory memory, Supplier<String> notReady,
                        Consumer<ModelCall> calls) {
        this.memory = memory;
        for (SessionTurn turn : memory.load()) {
            history.add(UserMessage.from(turn.request()));
            history.add(AiMessage.from(turn.answer()));
            historyChars += turn.request().length() + turn.answer().length();
        }
        this.baseUrl = properties.baseUrl();
        // a checkpoint of this session may be on the server's disk from before the restart
        this.checkpointed = !history.isEmpty() && properties.checkpointEvery() > 0;
        String apiKey = properties.apiKey() == null || properties.apiKey().isBlank() ? null : properties.apiKey();
        this.slots = new SlotStore(serverRoot(properties.baseUrl()), apiKey);
        this.slot = properties.slot();
        this.checkpointEvery = properties.checkpointEvery();
        this.notReady = notReady;
        this.calls = calls;
        this.reasoning = properties.reasoning();
        this.sessionChars = properties.sessionChars();
        this.maxTokens = properties.maxTokens();
        this.timeout = properties.timeout();
        this.chat = properties.api() == ModelSettings.Api.COMPLETION
                ? new LlamaCompletionModel(serverRoot(properties.baseUrl()), properties.name(), properties.slot(),
                        properties.timeout(), properties.promptFormat(), apiKey)
                : OpenAiStreamingChatModel.builder()
                        .baseUrl(properties.baseUrl())
                        .apiKey(apiKey == null ? "none" : apiKey)
                        .modelName(properties.name())
                        .timeout(properties.timeout())
                        .strictJsonSchema(false)
                        .customParameters(Map.of("cache_prompt", true, "id_slot", properties.slot()))
                        .build();
    }

    private static URI serverRoot(String baseUrl) {
        return URI.create(baseUrl.replaceAll("/v1/?$", "/"));
    }

    @Override
    public String ask(UUID taskId, Purpose purpose, String request, JsonSchema schema) {
        String why = notReady.get();
        if (why != null) {
            throw new ModelUnavailableException(why, null);
        }
        synchronized (this) {
            if (historyChars + request.length() > sessionChars) {
                history.clear(); // a new session: one full evaluation, then the cache holds again
                historyChars = 0;
                checkpointed = false;
                memory.clear();
            }
            if (restorePending && checkpointed) {
                slots.restore(slot, checkpointFile()); // a miss here only costs one full evaluation
            }
            restorePending = false;
            var messages = new ArrayList<ChatMessage>(history.size() + 2);
            messages.add(SystemMessage.from(Prompts.SYSTEM));
            messages.addAll(history);
            messages.add(UserMessage.from(request));
            int limit = maxTokens.of(purpose);
            var builder = ChatRequest.builder().messages(messages).maxOutputTokens(limit);
            if (schema != null) {
                builder.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build());
            }
            long start = System.nanoTime();
            StreamedChat.Answer streamed;
            try {
                streamed = StreamedChat.call(chat, builder.build(), piece -> { }, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelUnavailableException("interrupted while waiting for grandpa's model", e);
            } catch (RuntimeException e) {
                var failure = CallFailure.classify("grandpa model at " + baseUrl, e, (System.nanoTime() - start) / 1_000_000);
                throw new ModelUnavailableException(failure.getMessage(), e);
            }
            ChatResponse response = streamed.response();
            calls.accept(measure(taskId, purpose, response, streamed.firstTokenMs(), (System.nanoTime() - start) / 1_000_000));
            if (response.finishReason() == FinishReason.LENGTH) {
                // Not kept in the history: the next request finds the history before it in the cache.
                String partial = response.aiMessage() == null || response.aiMessage().text() == null ? ""
                        : THINK.matcher(response.aiMessage().text()).replaceFirst("");
                throw new CutOffException(purpose, limit, partial);
            }
            String text = response.aiMessage().text() == null ? "" : response.aiMessage().text();
            String answer = THINK.matcher(text).replaceFirst("");
            String kept = reasoning == ModelSettings.Reasoning.KEEP ? text : answer;
            history.add(UserMessage.from(request));
            history.add(AiMessage.from(kept));
            try {
                memory.append(new SessionTurn(history.size() / 2 - 1, request, kept));
            } catch (RuntimeException e) {
                // the answer stands; a grandpa restarted later finds a shorter history and a partial cache hit
                log.warn("Could not keep turn {} of the model session: {}", history.size() / 2 - 1, e.getMessage());
            }
            historyChars += request.length() + kept.length();
            if (checkpointEvery > 0 && ++sinceCheckpoint >= checkpointEvery) {
                checkpointed |= slots.save(slot, checkpointFile());
                sinceCheckpoint = 0;
            }
            return answer;
        }
    }

    /**
     * A first request to a freshly started server, outside the session's history: the server evaluates
     * the system prompt once, so the first real request finds it in the cache.
     */
    public void warmUp() {
        synchronized (this) {
            if (!history.isEmpty()) {
                return;
            }
            try {
                StreamedChat.call(chat, ChatRequest.builder()
                        .messages(SystemMessage.from(Prompts.SYSTEM), UserMessage.from("Request: warm-up. Answer OK."))
                        .maxOutputTokens(16).build(), piece -> { }, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // a warm-up that fails costs nothing but the cache it would have filled
            }
        }
    }

    /** The server was restarted: put the last checkpoint of this session back before the next call. */
    public synchronized void restoreBeforeNextCall() {
        restorePending = true;
    }

    private String checkpointFile() {
        return "grandpa-slot-" + slot + ".bin";
    }

    private static ModelCall measure(UUID taskId, Purpose purpose, ChatResponse response, long firstTokenMs, long wallMs) {
        LlamaTimings timings = null;
        JsonNode last = null;
        if (response.metadata() instanceof LlamaCompletionModel.Metadata meta) {
            timings = meta.timings();
        } else if (response.metadata() instanceof OpenAiChatResponseMetadata meta && meta.rawServerSentEvents() != null) {
            // llama-server sends its timings with the last chunk that has data
            for (var event : meta.rawServerSentEvents()) {
                try {
                    JsonNode chunk = JSON.readTree(event.data());
                    if (LlamaTimings.from(chunk) != null) {
                        last = chunk;
                        timings = LlamaTimings.from(chunk);
                    }
                } catch (RuntimeException e) {
                    // [DONE], or not llama-server's shape: usage alone is recorded
                }
            }
        }
        var usage = response.tokenUsage();
        int prompt = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int predicted = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        if (timings == null) {
            return new ModelCall(taskId, purpose, prompt, 0, 0, predicted, 0, firstTokenMs, wallMs);
        }
        int cached = last != null && !last.path("timings").has("cache_n")
                ? last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt(0) : timings.cacheN();
        return new ModelCall(taskId, purpose, prompt, cached, timings.promptMs(), predicted, timings.predictedMs(),
                firstTokenMs, wallMs);
    }
}
