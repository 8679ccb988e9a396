package dev.familiar.grandpa.delegation.backend;

import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.Objects;

/**
 * A short question put to a chat backend outside of coding work (a first judgement), answered in JSON
 * of the given schema and bounded to {@code maxTokens} of output.
 */
public record Question(String system, String prompt, JsonSchema schema, int maxTokens) {
    public Question {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(schema, "schema");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("a question needs a positive output limit");
        }
    }
}
