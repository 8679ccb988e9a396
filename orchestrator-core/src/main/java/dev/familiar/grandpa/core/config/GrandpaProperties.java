package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.runtime.client.PromptFormat;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything grandpa is told in {@code grandpa.*}. The defaults run a service that talks to a
 * llama-server on localhost:8000 and has no coder backends yet (tasks then wait and say why).
 */
@ConfigurationProperties("grandpa")
public record GrandpaProperties(@DefaultValue Model model, List<Backend> backends, @DefaultValue Engine engine,
                                @DefaultValue Delegation delegation, List<ContextSource> context) {

    public GrandpaProperties {
        backends = backends == null ? List.of() : List.copyOf(backends);
        context = context == null ? List.of() : List.copyOf(context);
    }

    /**
     * An MCP server that gives context (argus: code symbols; voracle: notes), run as a process and
     * spoken to over stdio: one call of {@code tool} per task, with the task as {@code queryArgument}.
     *
     * @param maxTokens the most of the context pack this source may fill (estimated at 4 characters a token)
     */
    public record ContextSource(
            String name,
            List<String> command,
            @DefaultValue("search") String tool,
            @DefaultValue("query") String queryArgument,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("2000") int maxTokens) {}

    /**
     * The grandpa model: an OpenAI-compatible endpoint, normally its llama-server.
     *
     * @param slot         the llama-server slot its session is pinned to ({@code id_slot})
     * @param sessionChars the history a session may grow to before it starts over
     * @param reasoning    KEEP sends reasoning back exactly as the model wrote it (the prompt cache holds);
     *                     DROP removes it from the history (every answer is evaluated again)
     * @param checkpointEvery save the session's slot to the server's disk after this many calls (0: never),
     *                     to restore it into a restarted server
     * @param api          CHAT: chat completions, the server's template renders the prompt (any model);
     *                     COMPLETION: grandpa renders the prompt itself ({@code promptFormat}) and uses
     *                     llama-server's {@code /completion}, so no template re-renders history
     * @param promptFormat how grandpa renders prompts under COMPLETION: CHATML (Qwen family) or GLM
     */
    public record Model(
            @DefaultValue("http://localhost:8000/v1") String baseUrl,
            @DefaultValue("grandpa") String name,
            String apiKey,
            @DefaultValue("10m") Duration timeout,
            @DefaultValue("0") int slot,
            @DefaultValue("200000") int sessionChars,
            @DefaultValue("KEEP") GrandpaModel.Reasoning reasoning,
            @DefaultValue("10") int checkpointEvery,
            @DefaultValue("CHAT") GrandpaModel.Api api,
            @DefaultValue("CHATML") PromptFormat promptFormat) {}

    /**
     * A coder backend from configuration. {@code kind} OPENAI needs {@code baseUrl}; CLI needs
     * {@code command} (and usually {@code workingDirectory}). {@code apiKeyEnv} names the environment
     * variable with its API key.
     */
    public record Backend(
            String name,
            @DefaultValue("OPENAI") BackendKind kind,
            String baseUrl,
            String model,
            String apiKeyEnv,
            List<String> command,
            String workingDirectory,
            @DefaultValue({"code", "tests", "docs", "review"}) Set<String> capabilities,
            @DefaultValue("1") int slots,
            @DefaultValue("10m") Duration timeout,
            Integer contextLimit,
            @DefaultValue("1.0") double cost) {

        public BackendSpec toSpec() {
            return new BackendSpec(name, kind, baseUrl, model, apiKeyEnv, command, workingDirectory, capabilities, slots,
                    timeout, contextLimit, cost);
        }
    }

    /**
     * How calls to coder backends are guarded and routed.
     *
     * @param retryAttempts      tries of one call when it fails transiently (connection lost, 429, unreachable)
     * @param breakerWindow      calls the circuit breaker looks back over
     * @param breakerFailureRate percentage of failed calls that opens the circuit
     * @param breakerOpenFor     how long an open circuit stays open before it half-opens to test the backend
     * @param probeInterval      how often every backend is probed (and the stored backends re-read)
     * @param exploreEvery       every n-th routing decision tries the least recently chosen backend…
     * @param exploreAfter       …when it has not been chosen for this long
     * @param historyWindow      how far back success rates are counted
     */
    public record Delegation(
            @DefaultValue("3") int retryAttempts,
            @DefaultValue("250ms") Duration retryBackoff,
            @DefaultValue("10") int breakerWindow,
            @DefaultValue("50") float breakerFailureRate,
            @DefaultValue("30s") Duration breakerOpenFor,
            @DefaultValue("15s") Duration probeInterval,
            @DefaultValue("10") int exploreEvery,
            @DefaultValue("1m") Duration exploreAfter,
            @DefaultValue("7d") Duration historyWindow) {

        public CoderBackend.Guards guards() {
            return new CoderBackend.Guards(retryAttempts, retryBackoff, breakerWindow, breakerFailureRate, breakerOpenFor);
        }
    }

    /**
     * How the engine works a task.
     *
     * @param maxSubtasks            the largest plan accepted
     * @param planAttempts           how often grandpa is asked for a valid plan before the task is blocked
     * @param retriesWithFeedback    retries on the same backend after a "revise" verdict
     * @param replans                re-plans per task before it is blocked
     * @param modelRetryInterval     how long a task waits before trying an unreachable model again
     */
    public record Engine(
            @DefaultValue("12") int maxSubtasks,
            @DefaultValue("2") int planAttempts,
            @DefaultValue("1") int retriesWithFeedback,
            @DefaultValue("1") int replans,
            @DefaultValue("30s") Duration modelRetryInterval,
            @DefaultValue("100000") int scheduleSearchSteps) {}
}
