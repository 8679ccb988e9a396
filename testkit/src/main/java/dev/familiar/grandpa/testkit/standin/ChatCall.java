package dev.familiar.grandpa.testkit.standin;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat-completions request as a stand-in server received it.
 *
 * @param schemaName the {@code response_format.json_schema.name}, or null for free text
 */
public record ChatCall(String model, List<Message> messages, String schemaName, JsonNode request) {

    public record Message(String role, String content) {}

    public ChatCall {
        messages = List.copyOf(messages);
    }

    /** The text of the last message with the given role, or "" when there is none. */
    public String last(String role) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals(role)) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /**
     * The prompt the server evaluates: the raw {@code prompt} of a {@code /completion} request, or the
     * messages as the template renders them. An answer is evaluated as its text and the template's end
     * of answer, so a history that carries an answer back as the template renders it finds it cached.
     */
    public String promptText(ChatTemplate template) {
        if (request != null && request.has("prompt")) {
            return request.path("prompt").asString();
        }
        return template.render(messages, request == null
                || request.path("chat_template_kwargs").path("enable_thinking").asBoolean(true));
    }

    /**
     * A {@code /completion} request whose prompt is token ids (llama-server takes those as well as text) with a text
     * prompt of as many of the stand-in's tokens in their place; any other request as it is.
     */
    static JsonNode withTextPrompt(JsonNode request, int bytesPerToken) {
        JsonNode prompt = request.path("prompt");
        if (!prompt.isArray()) {
            return request;
        }
        ObjectNode text = (ObjectNode) request.deepCopy();
        return text.put("prompt", "t".repeat(prompt.size() * bytesPerToken));
    }

    /** The slot the request pins ({@code id_slot}), or -1. */
    public int slot() {
        return request == null ? -1 : request.path("id_slot").asInt(-1);
    }

    /** llama-server's {@code cache_prompt}, true unless the request turns it off. */
    public boolean cachePrompt() {
        return request == null || request.path("cache_prompt").asBoolean(true);
    }
}
