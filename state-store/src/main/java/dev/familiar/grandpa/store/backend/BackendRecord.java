package dev.familiar.grandpa.store.backend;

import java.time.Instant;
import java.util.List;

/**
 * A coder backend as stored.
 *
 * @param kind      {@code OPENAI} (a chat-completions endpoint) or {@code CLI} (a command-line agent)
 * @param apiKeyEnv the environment variable holding its API key; the key itself is never stored
 */
public record BackendRecord(
        String name,
        String kind,
        String baseUrl,
        String model,
        String apiKeyEnv,
        List<String> command,
        String workingDirectory,
        List<String> capabilities,
        int slots,
        long timeoutMs,
        Integer contextLimit,
        double cost,
        boolean enabled,
        boolean draining,
        BackendSource source,
        Instant createdAt,
        Instant updatedAt) {

    public BackendRecord {
        command = command == null ? List.of() : List.copyOf(command);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
