package dev.familiar.grandpa.runtime.session;

import dev.familiar.grandpa.runtime.client.PromptFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One resident session on a llama-server (or any OpenAI-compatible server): where, how and how much.
 *
 * @param baseUrl         the server's OpenAI-compatible root ({@code …/v1})
 * @param name            the model asked, as the server names it and as measurements record it
 * @param apiKey          the key sent with every call, or null
 * @param apiKeyFile      a file holding the key (the one llama-server's {@code --api-key-file} reads), read
 *                        each time the session finds out how to call the server, where {@code apiKey} is null
 * @param timeout         the most one call may take, its whole stream included
 * @param slot            the server slot the session is pinned to ({@code id_slot})
 * @param sessionChars    the history the session may grow to where the server does not say its context
 * @param reasoning       KEEP sends reasoning back as the model wrote it (the cache holds); DROP removes it
 * @param checkpointEvery save the slot to the server's disk after this many calls (0: never)
 * @param api             how calls reach the server
 * @param promptFormat    how the session renders raw prompts under COMPLETION
 * @param maxTokens       the most tokens an answer may have, per purpose
 * @param systemPrompt    the system prompt, byte for byte the same on every request
 */
public record SessionSettings(String baseUrl, String name, String apiKey, Path apiKeyFile, Duration timeout, int slot,
                              int sessionChars, Reasoning reasoning, int checkpointEvery, Api api,
                              PromptFormat promptFormat, OutputLimits maxTokens, String systemPrompt) {

    /** The key sent with every call: {@code apiKey}, else what {@code apiKeyFile} holds; null when neither. */
    public String key() {
        return key(apiKey, apiKeyFile);
    }

    /** {@code apiKey}, else what {@code apiKeyFile} holds; null when neither. */
    public static String key(String apiKey, Path apiKeyFile) {
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
            throw new IllegalStateException("the model's API key file " + apiKeyFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** KEEP: reasoning stays in the history as written (the prompt cache holds); DROP: removed from it. */
    public enum Reasoning { KEEP, DROP }

    /**
     * How calls reach the server: chat completions, raw prompts the session renders ({@code /completion}),
     * or whichever of the two keeps the server's cache exact, found out from the server (AUTO).
     */
    public enum Api { AUTO, CHAT, COMPLETION }
}
