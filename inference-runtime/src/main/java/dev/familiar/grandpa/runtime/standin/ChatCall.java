package dev.familiar.grandpa.runtime.standin;

import java.util.List;
import tools.jackson.databind.JsonNode;

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

    /** The whole prompt as one string, the way the server would see it for caching. */
    public String promptText() {
        var text = new StringBuilder();
        for (Message m : messages) {
            text.append('<').append(m.role()).append('>').append(m.content()).append('\n');
        }
        return text.toString();
    }
}
