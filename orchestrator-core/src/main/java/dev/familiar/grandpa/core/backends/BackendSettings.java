package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A coder backend from configuration ({@code grandpa.backends[i]}). {@code kind} OPENAI needs
 * {@code baseUrl}; CLI needs {@code command} (and usually {@code workingDirectory}). {@code apiKeyEnv}
 * names the environment variable with its API key. What is left out gets {@link BackendSpec}'s defaults.
 * {@code sandbox} says what a command-line agent may reach from its sandbox.
 */
public record BackendSettings(
        String name,
        BackendKind kind,
        String baseUrl,
        String model,
        String apiKeyEnv,
        List<String> command,
        String workingDirectory,
        Set<String> capabilities,
        Integer slots,
        Duration timeout,
        Integer contextLimit,
        Double cost,
        AgentSandboxSettings sandbox) {

    public BackendSettings {
        sandbox = sandbox == null ? AgentSandboxSettings.NONE : sandbox;
    }

    public BackendSpec toSpec() {
        return new BackendSpec.Draft(name, kind, baseUrl, model, apiKeyEnv, command, workingDirectory, capabilities, slots,
                timeout, contextLimit, cost).toSpec();
    }
}
