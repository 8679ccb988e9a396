package dev.familiar.grandpa.runtime.standin;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A chat-completions request as a stand-in server received it.
 *
 * @param schemaName the {@code response_format.json_schema.name}, or null for free text
 */
public record ChatCall(String model, List<Message> messages, String schemaName, JsonNode request) {

    /** End of a message in the stand-in's chat template. */
    static final String END = "<|end|>\n";

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
     * The prompt as the stand-in's chat template renders it: each message as {@code <|role|>\n}, its
     * content and {@code <|end|>\n}, then the generation prompt {@code <|assistant|>\n}. An answer is
     * evaluated as its text and {@code <|end|>\n}, so a history that carries the answer back exactly
     * renders to the same bytes the server has in its slot.
     */
    public String promptText() {
        var text = new StringBuilder();
        for (Message m : messages) {
            text.append("<|").append(m.role()).append("|>\n").append(m.content()).append(END);
        }
        return text.append("<|assistant|>\n").toString();
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
