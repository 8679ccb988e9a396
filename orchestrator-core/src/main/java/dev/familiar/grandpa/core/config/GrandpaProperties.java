package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.delegation.backend.BackendSpec;
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
public record GrandpaProperties(@DefaultValue Model model, List<Backend> backends, @DefaultValue Engine engine) {

    public GrandpaProperties {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }

    /** The grandpa model: an OpenAI-compatible endpoint, normally its llama-server. */
    public record Model(
            @DefaultValue("http://localhost:8000/v1") String baseUrl,
            @DefaultValue("grandpa") String name,
            String apiKey,
            @DefaultValue("10m") Duration timeout) {}

    /** A coder backend; {@code apiKey} is best given as {@code ${SOME_ENV_VAR}}. */
    public record Backend(
            String name,
            String baseUrl,
            String model,
            String apiKey,
            @DefaultValue({"code", "tests", "docs", "review"}) Set<String> capabilities,
            @DefaultValue("1") int slots,
            @DefaultValue("10m") Duration timeout,
            @DefaultValue("1.0") double cost) {

        public BackendSpec toSpec() {
            return new BackendSpec(name, baseUrl, model, apiKey, capabilities, slots, timeout, cost);
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
            @DefaultValue("30s") Duration modelRetryInterval) {}
}
