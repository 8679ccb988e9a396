package dev.familiar.grandpa.core.openai;

import dev.familiar.grandpa.core.api.StoredText;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the door does not do, said plainly instead of ignored: it calls no tools, writes one choice,
 * and reads text only. And text no database can store (a NUL, half a surrogate pair) is refused.
 */
final class RequestShape {
    /** Why a request is refused: OpenAI's error code and a message a person can act on. */
    record Refusal(String code, String param, String message) {}

    private RequestShape() {}

    static Optional<Refusal> refusal(JsonNode body) {
        var unstorable = StoredText.problemIn(body);
        if (unstorable.isPresent()) {
            return Optional.of(new Refusal("invalid_text", "messages", unstorable.get()));
        }
        for (String field : new String[] {"tools", "functions", "tool_choice", "function_call"}) {
            JsonNode value = body.path(field);
            if (!value.isMissingNode() && !value.isNull() && !(value.isArray() && value.isEmpty())
                    && !(value.isString() && value.asString().equals("none"))) {
                return Optional.of(new Refusal("unsupported_parameter", field, "grandpa's door calls no tools: leave '"
                        + field + "' out; grandpa hands the work to its own coders"));
            }
        }
        if (body.path("n").isNumber() && body.path("n").asInt() != 1) {
            return Optional.of(new Refusal("unsupported_value", "n", "grandpa writes one answer per request: 'n' must be 1"));
        }
        for (JsonNode message : body.path("messages")) {
            if (message.path("content").isArray()) {
                for (JsonNode part : message.path("content")) {
                    if (!part.path("type").asString("text").equals("text")) {
                        return Optional.of(new Refusal("unsupported_content", "messages", "grandpa reads text only, not "
                                + part.path("type").asString() + " parts"));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
