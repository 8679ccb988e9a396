package dev.familiar.grandpa.delegation.backend;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A coder backend as configured: an OpenAI-compatible chat endpoint (llama-server, vLLM, Ollama,
 * LM Studio, a hosted API).
 *
 * @param slots   how many calls it serves at once (llama-server's {@code --parallel})
 * @param timeout the longest one call may take
 * @param cost    relative cost; cheaper backends win ties
 */
public record BackendSpec(
        String name,
        String baseUrl,
        String model,
        String apiKey,
        Set<String> capabilities,
        int slots,
        Duration timeout,
        double cost) {

    public BackendSpec {
        Objects.requireNonNull(name, "backend name");
        Objects.requireNonNull(baseUrl, "base URL of backend " + name);
        model = model == null || model.isBlank() ? name : model;
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        if (slots < 1) {
            throw new IllegalArgumentException("backend " + name + " needs at least one slot, not " + slots);
        }
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
    }

    /** Keys are never printed. */
    @Override
    public String toString() {
        return "BackendSpec[" + name + " " + baseUrl + " model=" + model + " capabilities=" + capabilities
                + " slots=" + slots + " timeout=" + timeout + " cost=" + cost + "]";
    }
}
