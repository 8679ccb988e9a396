package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.delegation.backend.CallFailure;
import dev.familiar.grandpa.runtime.client.LlamaCompletionModel;
import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.runtime.client.ServerProbe;
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
 * the seed's misses). Callers get the answer without its reasoning. Which of the two ways keeps the
 * cache exact is found out from the server itself by default ({@link ServerProbe}: its template, checked
 * against grandpa's own rendering), again after it restarts. The session's budget is the server's
 * context per slot, in the model's tokens, with room for the largest answer; when a request would not
 * fit, the session starts over with the system prompt and the current task's latest turns. The history
 * is kept turn by turn ({@link SessionMemory}), so a restarted grandpa continues the session. Every few
 * calls the slot is saved on the server ({@code /slots/{id}?action=save}); after the server was
 * restarted it is restored before the next call, so the session's cache survives that restart too.
 */
public class ResidentSession implements GrandpaModel {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(ResidentSession.class);
    private static final Pattern THINK = Pattern.compile("(?s)^\\s*<think>.*?</think>\\s*");

    /** The room kept free in the context besides the request and its answer: llama.cpp's own few tokens. */
    private static final int CONTEXT_MARGIN = 64;
    /** Progress of an answer being written is reported at most this often: twice a second. */
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    /**
     * How calls reach the server now: the API, the raw format (COMPLETION), why, and what the server
     * said of its context per slot and its slots (null where it did not say).
     */
    public record PromptMode(ModelSettings.Api api, PromptFormat format, String reason, Integer contextPerSlot,
                             Integer slots) {}

    private final ModelSettings settings;
    private final ServerProbe probe;
    private volatile StreamingChatModel chat;
    private volatile PromptMode mode;
    private final String baseUrl;
    private final Supplier<String> notReady;
    private final Consumer<ModelCall> calls;
    private final Consumer<ModelProgress> progress;
    private final ModelSettings.Reasoning reasoning;
    private final int sessionChars;
    private final List<ChatMessage> history = new ArrayList<>();
    /** Per turn of the history, the task it served (null for turns read back after a restart). */
    private final List<UUID> turnTasks = new ArrayList<>();
    /** The system prompt and the history, in the model's tokens; -1 until counted. */
    private volatile int historyTokens = -1;
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
        this(properties, memory, notReady, calls, progress -> { });
    }

    /** @param progress receives, a few times a second at most, how far an answer being written has got */
    public ResidentSession(ModelSettings properties, SessionMemory memory, Supplier<String> notReady,
                           Consumer<ModelCall> calls, Consumer<ModelProgress> progress) {
        this.progress = progress;
        this.memory = memory;
        this.settings = properties;
        for (SessionTurn turn : memory.load()) {
            history.add(UserMessage.from(turn.request()));
            history.add(AiMessage.from(turn.answer()));
            turnTasks.add(null);
            historyChars += turn.request().length() + turn.answer().length();
        }
        this.baseUrl = properties.baseUrl();
        // a checkpoint of this session may be on the server's disk from before the restart
        this.checkpointed = !history.isEmpty() && properties.checkpointEvery() > 0;
        String apiKey = properties.key();
        this.slots = new SlotStore(serverRoot(properties.baseUrl()), apiKey);
        this.slot = properties.slot();
        this.checkpointEvery = properties.checkpointEvery();
        this.notReady = notReady;
        this.calls = calls;
        this.reasoning = properties.reasoning();
        this.sessionChars = properties.sessionChars();
        this.maxTokens = properties.maxTokens();
        this.timeout = properties.timeout();
        this.probe = new ServerProbe(serverRoot(properties.baseUrl()), apiKey);
    }

    /** How calls reach the server now; null until the first call found out. */
    /** The slot this session is pinned to. */
    public int slot() {
        return slot;
    }

    /**
     * How many tokens the session holds in its slot, as the server last counted them (its prompt and
     * answer); 0 before the first call or after starting over.
     */
    public int sessionTokens() {
        return Math.max(0, historyTokens);
    }

    public PromptMode promptMode() {
        return mode;
    }

    /** The API and format for this server: as configured, or (AUTO) as the server's own template shows. */
    private PromptMode choose() {
        ServerProbe.Result found;
        try {
            found = probe.probe();
        } catch (ServerProbe.Unreachable e) {
            if (settings.api() == ModelSettings.Api.AUTO) { // said as a failed call would say it
                var failure = CallFailure.classify("grandpa model at " + baseUrl, e.getCause() == null ? e : e.getCause(), 0);
                throw new ModelUnavailableException(failure.getMessage(), e);
            }
            found = new ServerProbe.Result(null, "the server did not answer /props", null);
        }
        Integer context = found.props() == null ? null : found.props().contextPerSlot();
        Integer slots = found.props() == null ? null : found.props().slots();
        return switch (settings.api()) {
            case AUTO -> found.format() != null
                    ? new PromptMode(ModelSettings.Api.COMPLETION, found.format(), found.reason(), context, slots)
                    : new PromptMode(ModelSettings.Api.CHAT, null, found.reason(), context, slots);
            case COMPLETION -> new PromptMode(ModelSettings.Api.COMPLETION, settings.promptFormat(),
                    "configured (grandpa.model.api)", context, slots);
            case CHAT -> new PromptMode(ModelSettings.Api.CHAT, null, "configured (grandpa.model.api)", context, slots);
        };
    }

    private void adopt(PromptMode chosen) {
        String apiKey = settings.key();
        this.chat = chosen.api() == ModelSettings.Api.COMPLETION
                ? new LlamaCompletionModel(serverRoot(settings.baseUrl()), settings.name(), slot, timeout,
                        chosen.format(), apiKey)
                : OpenAiStreamingChatModel.builder()
                        .baseUrl(settings.baseUrl())
                        .apiKey(apiKey == null ? "none" : apiKey)
                        .modelName(settings.name())
                        .timeout(timeout)
                        .strictJsonSchema(false)
                        .customParameters(Map.of("cache_prompt", true, "id_slot", slot))
                        .build();
        if (mode == null || !chosen.equals(mode)) {
            log.info("grandpa's model session on slot {}: {}{} ({}); context per slot {}", slot, chosen.api(),
                    chosen.format() == null ? "" : " " + chosen.format(), chosen.reason(),
                    chosen.contextPerSlot() == null ? "unknown" : chosen.contextPerSlot() + " tokens");
        }
        this.mode = chosen;
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
            if (mode == null) {
                adopt(choose());
            }
            int limit = maxTokens.of(purpose);
            makeRoom(taskId, request, limit);
            if (restorePending && checkpointed) {
                slots.restore(slot, checkpointFile()); // a miss here only costs one full evaluation
            }
            restorePending = false;
            var messages = new ArrayList<ChatMessage>(history.size() + 2);
            messages.add(SystemMessage.from(Prompts.SYSTEM));
            messages.addAll(history);
            messages.add(UserMessage.from(request));
            var builder = ChatRequest.builder().messages(messages).maxOutputTokens(limit);
            if (schema != null) {
                builder.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build());
            }
            long start = System.nanoTime();
            StreamedChat.Answer streamed;
            try {
                streamed = StreamedChat.call(chat, builder.build(),
                        new ProgressRelay(taskId, purpose, progress, PROGRESS_EVERY_NANOS), timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelUnavailableException("interrupted while waiting for grandpa's model", e);
            } catch (RuntimeException e) {
                var failure = CallFailure.classify("grandpa model at " + baseUrl, e, (System.nanoTime() - start) / 1_000_000);
                throw new ModelUnavailableException(failure.getMessage(), e);
            }
            ChatResponse response = streamed.response();
            ModelCall measured = measure(taskId, purpose, response, streamed.firstTokenMs(),
                    (System.nanoTime() - start) / 1_000_000);
            calls.accept(measured);
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
            turnTasks.add(taskId);
            // what the slot holds now, as the server counted it (a history re-sent as the model wrote it)
            historyTokens = measured.promptTokens() > 0 ? measured.promptTokens() + measured.predictedTokens() : -1;
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
     * Starts the session over when the request and its largest answer would not fit: in the server's
     * context per slot, counted in the model's tokens, where the server says its context; else in
     * characters ({@code sessionChars}). What is kept: the system prompt and the current task's latest
     * turns, as many as fill half the context.
     */
    private void makeRoom(UUID taskId, String request, int limit) {
        Integer context = mode.contextPerSlot();
        if (context == null) {
            if (historyChars + request.length() > sessionChars) {
                startOver(taskId, 0, text -> text.length());
            }
            return;
        }
        if (historyTokens < 0) {
            historyTokens = probe.tokens(Prompts.SYSTEM + historyText(0));
        }
        int requestTokens = probe.tokens(request);
        if (historyTokens + requestTokens + limit + CONTEXT_MARGIN > context) {
            startOver(taskId, Math.max(0, context / 2 - requestTokens - limit), probe::tokens);
            historyTokens = probe.tokens(Prompts.SYSTEM + historyText(0));
        }
    }

    /** A new session: one full evaluation, then the cache holds again. */
    private void startOver(UUID taskId, int keepBudget, java.util.function.ToIntFunction<String> size) {
        var keptRequests = new ArrayList<String>();
        var keptAnswers = new ArrayList<String>();
        int used = 0;
        for (int turn = turnTasks.size() - 1; turn >= 0 && taskId != null; turn--) {
            if (!taskId.equals(turnTasks.get(turn))) {
                continue;
            }
            String q = ((UserMessage) history.get(2 * turn)).singleText();
            String a = ((AiMessage) history.get(2 * turn + 1)).text();
            int cost = size.applyAsInt(q + a);
            if (used + cost > keepBudget) {
                break;
            }
            used += cost;
            keptRequests.addFirst(q);
            keptAnswers.addFirst(a);
        }
        log.info("grandpa's model session on slot {} starts over ({} turns; {} of the current task kept)", slot,
                turnTasks.size(), keptRequests.size());
        history.clear();
        turnTasks.clear();
        historyChars = 0;
        checkpointed = false;
        memory.clear();
        for (int i = 0; i < keptRequests.size(); i++) {
            history.add(UserMessage.from(keptRequests.get(i)));
            history.add(AiMessage.from(keptAnswers.get(i)));
            turnTasks.add(taskId);
            historyChars += keptRequests.get(i).length() + keptAnswers.get(i).length();
            try {
                memory.append(new SessionTurn(i, keptRequests.get(i), keptAnswers.get(i)));
            } catch (RuntimeException e) {
                log.warn("Could not keep turn {} of the model session: {}", i, e.getMessage());
            }
        }
    }

    private String historyText(int from) {
        var text = new StringBuilder();
        for (int i = from; i < history.size(); i++) {
            text.append(history.get(i) instanceof UserMessage u ? u.singleText() : ((AiMessage) history.get(i)).text());
        }
        return text.toString();
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
                if (mode == null) {
                    adopt(choose());
                }
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

    /**
     * The server was restarted: put the last checkpoint of this session back before the next call, and
     * find out again how to call it (it may serve another model now).
     */
    public synchronized void restoreBeforeNextCall() {
        restorePending = true;
        mode = null;
    }

    private String checkpointFile() {
        return "grandpa-slot-" + slot + ".bin";
    }

    private ModelCall measure(UUID taskId, Purpose purpose, ChatResponse response, long firstTokenMs, long wallMs) {
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
            return new ModelCall(taskId, purpose, prompt, 0, 0, predicted, 0, firstTokenMs, wallMs, settings.name());
        }
        int cached = last != null && !last.path("timings").has("cache_n")
                ? last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt(0) : timings.cacheN();
        return new ModelCall(taskId, purpose, prompt, cached, timings.promptMs(), predicted, timings.predictedMs(),
                firstTokenMs, wallMs, settings.name());
    }
}
