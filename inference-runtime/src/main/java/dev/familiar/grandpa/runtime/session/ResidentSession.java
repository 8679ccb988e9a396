package dev.familiar.grandpa.runtime.session;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.runtime.client.ServerProbe;
import dev.familiar.grandpa.runtime.client.SlotStore;
import dev.familiar.grandpa.runtime.client.StreamedChat;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * grandpa's own model as one resident session on one pinned llama-server slot, asked through a
 * LangChain4j streaming chat model: chat completions, or raw prompts grandpa renders itself
 * ({@link SessionSettings.Api#COMPLETION}, so no server template re-renders the history). Every request is the same
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
    private static final Pattern THINK = Pattern.compile("(?s)^\\s*<think>.*?</think>\\s*");

    /** Progress of an answer being written is reported at most this often: twice a second. */
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    /**
     * How calls reach the server now: the API, the raw format (COMPLETION), why, what the server said of its
     * context per slot and its slots (null where it did not say), and whether the session's tools are offered in
     * the template's own syntax (else grandpa asks for lookups in a JSON schema).
     */
    public record PromptMode(SessionSettings.Api api, PromptFormat format, String reason, Integer contextPerSlot,
                             Integer slots, boolean nativeTools) {}

    private final ModelConnection connection;
    private final SessionHistory history;
    private final String baseUrl;
    private final Supplier<String> notReady;
    private final Consumer<ModelCall> calls;
    private final Consumer<ModelProgress> progress;
    private final SessionSettings.Reasoning reasoning;
    private final int slot;
    private final SlotCheckpoints checkpoints;
    private ModelCall lastCall;
    private final OutputLimits maxTokens;
    private final Duration timeout;
    private final String systemPrompt;
    private final List<ToolSpecification> tools;

    /**
     * @param notReady why the model's server cannot answer now (loading, restarting), or null
     * @param calls    receives every call's measurements
     */
    public ResidentSession(SessionSettings properties, Supplier<String> notReady, Consumer<ModelCall> calls) {
        this(properties, SessionMemory.NONE, notReady, calls);
    }

    /**
     * @param memory where the history is kept between runs: it is read back here, so a restarted
     *               grandpa sends the same prompt prefix and finds it in the server's slot
     */
    public ResidentSession(SessionSettings properties, SessionMemory memory, Supplier<String> notReady,
                        Consumer<ModelCall> calls) {
        this(properties, memory, notReady, calls, progress -> { });
    }

    /** @param progress receives, a few times a second at most, how far an answer being written has got */
    public ResidentSession(SessionSettings properties, SessionMemory memory, Supplier<String> notReady,
                           Consumer<ModelCall> calls, Consumer<ModelProgress> progress) {
        this(properties, memory, notReady, calls, progress, List.of());
    }

    /**
     * @param tools what the model may call in a {@link #callTools} turn: offered with every request of the
     *              session (the template renders them into the system prompt, so they must never change)
     */
    public ResidentSession(SessionSettings properties, SessionMemory memory, Supplier<String> notReady,
                           Consumer<ModelCall> calls, Consumer<ModelProgress> progress, List<ToolSpecification> tools) {
        this.progress = progress;
        this.tools = List.copyOf(tools);
        this.history = new SessionHistory(memory, properties.sessionChars(), properties.slot(), properties.systemPrompt(),
                tools.stream().map(t -> t.name() + t.description() + t.parameters()).collect(Collectors.joining()));
        this.connection = new ModelConnection(properties, !tools.isEmpty());
        this.baseUrl = properties.baseUrl();
        this.slot = properties.slot();
        this.checkpoints = new SlotCheckpoints(new SlotStore(ServerProbe.serverRoot(properties.baseUrl()), properties.key()),
                properties.slot(), properties.checkpointEvery(), !history.isEmpty());
        this.notReady = notReady;
        this.calls = calls;
        this.reasoning = properties.reasoning();
        this.maxTokens = properties.maxTokens();
        this.timeout = properties.timeout();
        this.systemPrompt = properties.systemPrompt();
    }

    /** The slot this session is pinned to. */
    public int slot() {
        return slot;
    }

    /**
     * How many tokens the session holds in its slot, as the server last counted them (its prompt and
     * answer); 0 before the first call or after starting over.
     */
    public int sessionTokens() {
        return Math.max(0, history.tokens());
    }

    /** How calls reach the server now; null until the first call found out. */
    public PromptMode promptMode() {
        return connection.mode();
    }

    @Override
    public String ask(UUID taskId, Purpose purpose, String request, JsonSchema schema) {
        synchronized (this) {
            int limit = maxTokens.of(purpose);
            ChatResponse response = call(taskId, purpose, request, limit, schema, ToolChoice.NONE);
            String text = response.aiMessage().text() == null ? "" : response.aiMessage().text();
            keep(taskId, new SessionTurn(0, request, kept(text), List.of(), false), true);
            return THINK.matcher(text).replaceFirst("");
        }
    }

    /**
     * A turn with the session's tools to call, in the template's own syntax: the chat API's {@code tool_calls}
     * (the server's template renders the tools and reads the calls), or, on the raw path, the calls the
     * model writes in its format. Each call, up to {@code maxCalls}, is answered by {@code answer} (any more
     * are answered that they were not made), and the turn stays in the history with the calls and their
     * answers as the template renders them, so the next request finds it all in the server's cache. The
     * tools are answered inside the turn: no other request comes between a call and its answer.
     *
     * @return the calls and their answers; empty when the tools cannot be offered this way (none, or a
     *         server whose chat API does not take them): ask in a JSON schema instead
     */
    @Override
    public Optional<List<ToolUse>> callTools(UUID taskId, Purpose purpose, String request, int maxCalls,
                                             Function<ToolExecutionRequest, String> answer) {
        synchronized (this) {
            if (tools.isEmpty() || !readyMode().nativeTools()) {
                return Optional.empty();
            }
            int limit = maxTokens.of(purpose);
            ChatResponse response = call(taskId, purpose, request, limit, null, ToolChoice.AUTO);
            String text = response.aiMessage().text() == null ? "" : response.aiMessage().text();
            boolean raw = connection.mode().api() == SessionSettings.Api.COMPLETION;
            List<ToolExecutionRequest> calls = raw
                    ? connection.mode().format().toolCalls(THINK.matcher(text).replaceFirst(""), "call-" + slot + "-"
                            + System.currentTimeMillis() + "-")
                    : response.aiMessage().toolExecutionRequests();
            var uses = new ArrayList<ToolUse>();
            for (ToolExecutionRequest call : calls) {
                String said = uses.size() < maxCalls ? answer.apply(call)
                        : "Not looked up: at most " + maxCalls + " calls were allowed in this turn.";
                uses.add(new ToolUse(call.id(), call.name(), call.arguments(), said));
            }
            // the tools' answers are in no count of the server's yet: the next request counts them
            keep(taskId, new SessionTurn(0, request, kept(text), uses, raw), uses.isEmpty());
            return Optional.of(List.copyOf(uses));
        }
    }

    /** The mode of calling the server, found out now if it is not known. */
    private PromptMode readyMode() {
        String why = notReady.get();
        if (why != null) {
            throw new ModelUnavailableException(why, null);
        }
        connection.chat();
        return connection.mode();
    }

    /** One request of the session: the history, the request, the tools as always; the answer as the server wrote it. */
    private ChatResponse call(UUID taskId, Purpose purpose, String request, int limit, JsonSchema schema, ToolChoice choice) {
        PromptMode mode = readyMode();
        StreamingChatModel chat = connection.chat();
        checkpoints.beforeCall(history.makeRoom(taskId, request, limit, mode.contextPerSlot(), connection));
        var builder = withTools(ChatRequest.builder().messages(history.messages(request)).maxOutputTokens(limit), choice);
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
        lastCall = connection.measure(taskId, purpose, response, streamed.firstTokenMs(), (System.nanoTime() - start) / 1_000_000);
        calls.accept(lastCall);
        if (response.finishReason() == FinishReason.LENGTH) {
            // Not kept in the history: the next request finds the history before it in the cache.
            String partial = response.aiMessage() == null || response.aiMessage().text() == null ? ""
                    : THINK.matcher(response.aiMessage().text()).replaceFirst("");
            throw new CutOffException(purpose, limit, partial);
        }
        return response;
    }

    /** The session's tools, with every request where they are offered natively: the prompt never changes for them. */
    private ChatRequest.Builder withTools(ChatRequest.Builder request, ToolChoice choice) {
        PromptMode mode = connection.mode();
        return tools.isEmpty() || mode == null || !mode.nativeTools() ? request
                : request.toolSpecifications(tools).toolChoice(choice);
    }

    /** The answer as the history keeps it: as written, or without its reasoning. */
    private String kept(String text) {
        return reasoning == SessionSettings.Reasoning.KEEP ? text : THINK.matcher(text).replaceFirst("");
    }

    /** A turn answered: into the history, and the slot saved every few calls. */
    private void keep(UUID taskId, SessionTurn turn, boolean counted) {
        // what the slot holds now, as the server counted it (a history re-sent as the model wrote it)
        history.add(taskId, turn, counted && lastCall.promptTokens() > 0
                ? lastCall.promptTokens() + lastCall.predictedTokens() : -1);
        checkpoints.afterTurn();
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
                StreamingChatModel chat = connection.chat();
                StreamedChat.call(chat, withTools(ChatRequest.builder()
                        .messages(SystemMessage.from(systemPrompt), UserMessage.from("Request: warm-up. Answer OK."))
                        .maxOutputTokens(16), ToolChoice.NONE).build(), piece -> { }, timeout);
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
        checkpoints.restoreBeforeNextCall();
        connection.forget();
    }

    /**
     * The server was switched to another model: this session starts over empty (the other model's history
     * and checkpoint are of no use to it, and a bake-off compares models each from the same start), finds out
     * again how to call the server, and records its calls under the new model's name.
     */
    public synchronized void startOverServing(String model) {
        history.clear();
        checkpoints.forget();
        connection.serving(model);
    }
}
