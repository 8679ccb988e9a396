package dev.familiar.grandpa.delegation.backend;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A coder backend as configured.
 *
 * @param apiKeyEnv        the environment variable holding its API key (OPENAI); the key is read from
 *                         the environment when the backend is built and is never logged or returned
 * @param command          the command line (CLI), run in {@code workingDirectory} with the prompt on stdin
 * @param slots            how many calls it serves at once (llama-server's {@code --parallel}); more queue
 * @param timeout          the longest one call may take
 * @param contextLimit     its context window in tokens, or null when unknown
 * @param cost             relative cost; cheaper backends win ties
 */
public record BackendSpec(
        String name,
        BackendKind kind,
        String baseUrl,
        String model,
        String apiKeyEnv,
        List<String> command,
        String workingDirectory,
        Set<String> capabilities,
        int slots,
        Duration timeout,
        Integer contextLimit,
        double cost) {

    public BackendSpec {
        Objects.requireNonNull(name, "backend name");
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("a backend name is 1-64 letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        kind = kind == null ? BackendKind.OPENAI : kind;
        command = command == null ? List.of() : List.copyOf(command);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (kind == BackendKind.OPENAI && (baseUrl == null || !baseUrl.matches("https?://.+"))) {
            throw new IllegalArgumentException("backend " + name + " needs an http(s) base URL, not '" + baseUrl + "'");
        }
        if (kind == BackendKind.CLI && command.isEmpty()) {
            throw new IllegalArgumentException("backend " + name + " is a command-line agent and needs a command");
        }
        model = model == null || model.isBlank() ? name : model;
        capabilities = capabilities == null ? DEFAULT_CAPABILITIES : Set.copyOf(capabilities);
        if (slots < 1 || slots > 256) {
            throw new IllegalArgumentException("backend " + name + " needs 1 to 256 slots, not " + slots);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("backend " + name + " needs a positive timeout");
        }
        if (cost < 0) {
            throw new IllegalArgumentException("backend " + name + " cannot have a negative cost");
        }
    }

    /** What a backend may do when nothing is said. */
    public static final Set<String> DEFAULT_CAPABILITIES = Set.of("code", "tests", "docs", "review");
    public static final int DEFAULT_SLOTS = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final double DEFAULT_COST = 1.0;

    /**
     * A backend as configured or posted, every setting optional: the one place where what is left out
     * gets its default (kind OPENAI, model its name, every capability, one slot, ten minutes, cost 1).
     */
    public record Draft(String name, BackendKind kind, String baseUrl, String model, String apiKeyEnv, List<String> command,
                        String workingDirectory, Set<String> capabilities, Integer slots, Duration timeout,
                        Integer contextLimit, Double cost) {
        /** @throws IllegalArgumentException saying what is wrong with it */
        public BackendSpec toSpec() {
            return new BackendSpec(name, kind, baseUrl, model, apiKeyEnv, command, workingDirectory, capabilities,
                    slots == null ? DEFAULT_SLOTS : slots, timeout, contextLimit, cost == null ? DEFAULT_COST : cost);
        }
    }

    /** An OpenAI-compatible backend with defaults for the rest. */
    public static BackendSpec openAi(String name, String baseUrl, Set<String> capabilities, int slots, Duration timeout,
                                     double cost) {
        return new BackendSpec(name, BackendKind.OPENAI, baseUrl, null, null, null, null, capabilities, slots, timeout,
                null, cost);
    }
}
