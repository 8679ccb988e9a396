package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.TokenCounter;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.runtime.client.ServerProbe;
import java.util.OptionalInt;

/**
 * A coder's own tokenizer, for the pack it reads: a server with {@code /tokenize} (llama-server) is asked,
 * with the coder's own key and nowhere else; a hosted API or a command-line agent has none, and the pack
 * then estimates and says so.
 */
final class CoderTokens {
    private CoderTokens() {}

    static TokenCounter of(BackendSpec coder) {
        if (coder == null || coder.kind() != BackendKind.OPENAI || coder.baseUrl() == null) {
            return TokenCounter.ESTIMATE;
        }
        String key = coder.apiKeyEnv() == null ? null : System.getenv(coder.apiKeyEnv());
        var probe = new ServerProbe(ServerProbe.serverRoot(coder.baseUrl()), key);
        return new TokenCounter() {
            @Override
            public String name() {
                return "coder " + coder.name() + "'s model (/tokenize)";
            }

            @Override
            public OptionalInt count(String text) {
                return probe.countTokens(text);
            }
        };
    }
}
