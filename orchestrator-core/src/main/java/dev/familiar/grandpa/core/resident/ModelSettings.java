package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import dev.familiar.grandpa.runtime.session.OutputLimits;
import dev.familiar.grandpa.runtime.session.SessionSettings.Api;
import dev.familiar.grandpa.runtime.session.SessionSettings.Reasoning;
import dev.familiar.grandpa.runtime.session.SessionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The grandpa model ({@code grandpa.model.*}): an OpenAI-compatible endpoint, normally its llama-server; each
 * slot's session gets its {@link SessionSettings} from here.
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
        return SessionSettings.key(apiKey, apiKeyFile);
    }

    /** The slots grandpa's sessions are pinned to, one session each. */
    public List<Integer> sessionSlots() {
        return slots.isEmpty() ? List.of(slot) : slots;
    }

    /** The settings of the session pinned to {@code slot}, with grandpa's system prompt. */
    public SessionSettings session(int slot) {
        return new SessionSettings(baseUrl, name, apiKey, apiKeyFile, timeout, slot, sessionChars, reasoning,
                checkpointEvery, api, promptFormat, maxTokens, Prompts.SYSTEM);
    }
}
