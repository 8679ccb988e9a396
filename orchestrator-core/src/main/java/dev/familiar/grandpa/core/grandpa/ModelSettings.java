package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The grandpa model ({@code grandpa.model.*}): an OpenAI-compatible endpoint, normally its llama-server.
 *
 * @param slot            the llama-server slot its session is pinned to ({@code id_slot})
 * @param sessionChars    the history a session may grow to before it starts over
 * @param reasoning       KEEP sends reasoning back exactly as the model wrote it (the prompt cache holds);
 *                        DROP removes it from the history (every answer is evaluated again)
 * @param checkpointEvery save the session's slot to the server's disk after this many calls (0: never),
 *                        to restore it into a restarted server
 * @param api             CHAT: chat completions, the server's template renders the prompt (any model);
 *                        COMPLETION: grandpa renders the prompt itself ({@code promptFormat}) and uses
 *                        llama-server's {@code /completion}, so no template re-renders history
 * @param promptFormat    how grandpa renders prompts under COMPLETION: CHATML (Qwen family) or GLM
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
        @DefaultValue("CHAT") Api api,
        @DefaultValue("CHATML") PromptFormat promptFormat,
        @DefaultValue OutputLimits maxTokens) {

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

    /** How calls reach the server: chat completions, or raw prompts grandpa renders ({@code /completion}). */
    public enum Api { CHAT, COMPLETION }
}
