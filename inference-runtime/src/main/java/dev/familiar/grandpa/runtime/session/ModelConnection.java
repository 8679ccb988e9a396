package dev.familiar.grandpa.runtime.session;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.LlamaCompletionModel;
import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.client.ServerProbe;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one session reaches its llama-server: which API and raw format it uses there (as configured, or as
 * the server's own template shows: {@link ServerProbe}), the LangChain4j chat model for it, what the server
 * says of its context, its token counts, and each call's measurements as the server reported them. Found
 * out at the first call, and again after the server restarted.
 */
final class ModelConnection {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(ResidentSession.class);

    private final SessionSettings settings;
    private final ServerProbe probe;
    private final String baseUrl;
    private final int slot;
    private final Duration timeout;
    /** Whether the session offers its model tools (then whether the server's way takes them is found out too). */
    private final boolean offersTools;
    private volatile StreamingChatModel chat;
    private volatile ResidentSession.PromptMode mode;
    /** The model's name in the calls' records: the configured one, or the one the server was switched to. */
    private volatile String name;

    ModelConnection(SessionSettings settings, boolean offersTools) {
        this.settings = settings;
        this.offersTools = offersTools;
        this.baseUrl = settings.baseUrl();
        this.slot = settings.slot();
        this.timeout = settings.timeout();
        this.probe = new ServerProbe(ServerProbe.serverRoot(settings.baseUrl()), settings.key());
        this.name = settings.name();
    }

    /** The chat model for the server, found out first when it is not known (yet, or since a restart). */
    StreamingChatModel chat() {
        if (mode == null) {
            adopt(choose());
        }
        return chat;
    }

    ResidentSession.PromptMode mode() {
        return mode;
    }

    /** The server may serve another model now: find out again at the next call. */
    void forget() {
        mode = null;
    }

    /** The server serves this model now (by name): find out again how to call it. */
    void serving(String model) {
        name = model;
        mode = null;
    }

    /** The text's length in the server's tokens. */
    int tokens(String text) {
        return probe.tokens(text);
    }

    /** The API and format for this server: as configured, or (AUTO) as the server's own template shows. */
    private ResidentSession.PromptMode choose() {
        ServerProbe.Result found;
        try {
            found = probe.probe();
        } catch (ServerProbe.Unreachable e) {
            if (settings.api() == SessionSettings.Api.AUTO) { // said as a failed call would say it
                var failure = CallFailure.classify("grandpa model at " + baseUrl, e.getCause() == null ? e : e.getCause(), 0);
                throw new ModelUnavailableException(failure.getMessage(), e);
            }
            found = new ServerProbe.Result(null, "the server did not answer /props", null);
        }
        Integer context = found.props() == null ? null : found.props().contextPerSlot();
        Integer slots = found.props() == null ? null : found.props().slots();
        return switch (settings.api()) {
            case AUTO -> found.format() != null
                    ? new ResidentSession.PromptMode(SessionSettings.Api.COMPLETION, found.format(), found.reason(), context,
                            slots, offersTools && probe.rendersToolsAs(found.format()))
                    : new ResidentSession.PromptMode(SessionSettings.Api.CHAT, null, found.reason(), context, slots,
                            chatTakesTools(found));
            case COMPLETION -> new ResidentSession.PromptMode(SessionSettings.Api.COMPLETION, settings.promptFormat(),
                    "configured (grandpa.model.api)", context, slots, offersTools && probe.rendersToolsAs(settings.promptFormat()));
            case CHAT -> new ResidentSession.PromptMode(SessionSettings.Api.CHAT, null, "configured (grandpa.model.api)",
                    context, slots, chatTakesTools(found));
        };
    }

    /** The chat API takes tools where the server renders them itself: llama-server, unless under --no-jinja. */
    private boolean chatTakesTools(ServerProbe.Result found) {
        return offersTools && found.props() != null && probe.acceptsTools();
    }

    private void adopt(ResidentSession.PromptMode chosen) {
        String apiKey = settings.key();
        this.chat = chosen.api() == SessionSettings.Api.COMPLETION
                ? new LlamaCompletionModel(ServerProbe.serverRoot(settings.baseUrl()), settings.name(), slot, timeout,
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
            log.info("grandpa's model session on slot {}: {}{} ({}); context per slot {}{}", slot, chosen.api(),
                    chosen.format() == null ? "" : " " + chosen.format(), chosen.reason(),
                    chosen.contextPerSlot() == null ? "unknown" : chosen.contextPerSlot() + " tokens",
                    !offersTools ? "" : chosen.nativeTools() ? "; tools in the template's own syntax"
                            : "; lookups asked for in a JSON schema (the server's template does not take tools, or "
                                    + "renders them otherwise than grandpa would)");
        }
        this.mode = chosen;
    }

    /** One call's measurements: the server's timings where it sent them (llama-server does), else the usage. */
    ModelCall measure(UUID taskId, Purpose purpose, ChatResponse response, long firstTokenMs, long wallMs) {
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
            return new ModelCall(taskId, purpose, prompt, 0, 0, predicted, 0, firstTokenMs, wallMs, name);
        }
        int cached = last != null && !last.path("timings").has("cache_n")
                ? last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt(0) : timings.cacheN();
        return new ModelCall(taskId, purpose, prompt, cached, timings.promptMs(), predicted, timings.predictedMs(),
                firstTokenMs, wallMs, name);
    }
}
