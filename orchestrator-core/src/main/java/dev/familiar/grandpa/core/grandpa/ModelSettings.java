package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The grandpa model ({@code grandpa.model.*}): an OpenAI-compatible endpoint, normally its llama-server.
 *
 * @param apiKeyFile      a file holding the model server's API key (the one its {@code --api-key-file} reads),
 *                        where {@code apiKey} is not given
 * @param slot            the llama-server slot its session is pinned to ({@code id_slot})
 * @param slots           more than one session, one per slot (llama-server's {@code --parallel N}), so a long
 *                        plan does not hold up every judgement; empty: one session on {@code slot}
 * @param reasoning       KEEP sends reasoning back exactly as the model wrote it (the prompt cache holds);
 *                        DROP removes it from the history (every answer is evaluated again)
 * @param checkpointEvery save the session's slot to the server's disk after this many calls (0: never),
 *                        to restore it into a restarted server
 * @param api             AUTO: COMPLETION with the format the server's own template is checked to render
 *                        exactly ({@code /props}, {@code /apply-template}), else CHAT; CHAT: chat
 *                        completions, the server's template renders the prompt (any model);
 *                        COMPLETION: grandpa renders the prompt itself ({@code promptFormat}) and uses
 *                        llama-server's {@code /completion}, so no template re-renders history
 * @param promptFormat    how grandpa renders prompts under COMPLETION: CHATML (Qwen family) or GLM
 * @param sessionChars    the history a session may grow to, where the server does not say its context
 *                        ({@code /props}); where it does, the budget is its context in tokens
 * @param maxTokens       the most tokens an answer may have, per purpose; at 17 tokens a second the
 *                        limit also bounds how long one call holds the model (integration writes only
 *                        a summary: the deliverables are put together without the model)
 */
public record ModelSettings(
        @DefaultValue("http://localhost:8000/v1") String baseUrl,
        @DefaultValue("grandpa") String name,
        String apiKey,
        @DefaultValue("10m") Duration timeout,
        @DefaultValue("0") int slot,
        @DefaultValue("200000") int sessionChars,
        @DefaultValue("KEEP") Reasoning reasoning,
        @DefaultValue("10") int checkpointEvery,
        @DefaultValue("AUTO") Api api,
        @DefaultValue("CHATML") PromptFormat promptFormat,
        @DefaultValue OutputLimits maxTokens,
        List<Integer> slots,
        Path apiKeyFile) {

    public ModelSettings {
        slots = slots == null ? List.of() : List.copyOf(slots);
    }

    /**
     * The key grandpa sends to its model's server with every call: {@code apiKey}, else what
     * {@code apiKeyFile} holds (the file llama-server's {@code --api-key-file} reads); null when neither.
     */
    public String key() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey;
        }
        if (apiKeyFile == null) {
            return null;
        }
        try {
            String key = Files.readString(apiKeyFile).strip();
            return key.isEmpty() ? null : key;
        } catch (IOException e) {
            throw new IllegalStateException("grandpa.model.api-key-file " + apiKeyFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The slots grandpa's sessions are pinned to, one session each. */
    public List<Integer> sessionSlots() {
        return slots.isEmpty() ? List.of(slot) : slots;
    }

    /** These settings for the session pinned to {@code slot}. */
    public ModelSettings withSlot(int slot) {
        return new ModelSettings(baseUrl, name, apiKey, timeout, slot, sessionChars, reasoning, checkpointEvery, api,
                promptFormat, maxTokens, slots, apiKeyFile);
    }

    /** Output limits per purpose, sent as {@code max_tokens} / {@code n_predict}. */
    public record OutputLimits(
            @DefaultValue("4096") int plan,
            @DefaultValue("1024") int judge,
            @DefaultValue("300") int integrate) {

        public static final OutputLimits DEFAULT = new OutputLimits(4096, 1024, 300);

        public int of(Purpose purpose) {
            return switch (purpose) {
                case PLAN -> plan;
                case JUDGE -> judge;
                case INTEGRATE -> integrate;
            };
        }
    }

    public enum Reasoning { KEEP, DROP }

    /**
     * How calls reach the server: chat completions, raw prompts grandpa renders ({@code /completion}),
     * or whichever of the two keeps the server's cache exact, found out from the server (AUTO).
     */
    public enum Api { AUTO, CHAT, COMPLETION }
}
