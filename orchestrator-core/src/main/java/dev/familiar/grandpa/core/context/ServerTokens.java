package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.TokenCounter;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.runtime.client.ServerProbe;
import java.util.OptionalInt;

/**
 * A model server's own tokenizer ({@code /tokenize}, llama-server's), asked with that server's key and
 * nowhere else: grandpa's for the plan's pack, a coder's for its subtask's. Where a server cannot be
 * asked, the pack estimates and says so.
 */
record ServerTokens(String name, ServerProbe probe) implements TokenCounter {

    static ServerTokens of(String name, String baseUrl, String key) {
        return new ServerTokens(name + " (/tokenize)", new ServerProbe(ServerProbe.serverRoot(baseUrl), key));
    }

    /** A coder's: a hosted API or a command-line agent has none. */
    static TokenCounter of(BackendSpec coder) {
        if (coder == null || coder.kind() != BackendKind.OPENAI || coder.baseUrl() == null) {
            return TokenCounter.ESTIMATE;
        }
        return of("coder " + coder.name() + "'s model", coder.baseUrl(),
                coder.apiKeyEnv() == null ? null : System.getenv(coder.apiKeyEnv()));
    }

    @Override
    public OptionalInt count(String text) {
        return probe.countTokens(text);
    }
}
