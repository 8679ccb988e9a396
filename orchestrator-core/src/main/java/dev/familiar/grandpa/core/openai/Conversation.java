package dev.familiar.grandpa.core.openai;

import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A chat as an OpenAI client sends it, read for what grandpa needs: the last user message (the work
 * asked for), the conversation before it, and the task grandpa answered the conversation with last,
 * which its answers name at their end ({@link #mark}).
 */
record Conversation(String request, String earlier, Optional<UUID> task) {
    private static final Pattern MARK = Pattern.compile("\\(grandpa task ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\)");

    /** The line an answer ends with, so the next request of the same conversation finds its task. */
    static String mark(UUID task) {
        return "(grandpa task " + task + ")";
    }

    /** @throws IllegalArgumentException when there is no user message with text */
    static Conversation of(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array");
        }
        int last = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).path("role").asString()) && !text(messages.get(i)).isBlank()) {
                last = i;
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("no user message with text: the last one is the work asked for");
        }
        Optional<UUID> task = Optional.empty();
        var earlier = new ArrayList<String>();
        for (int i = 0; i < last; i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asString("user");
            String text = text(m);
            if (role.equals("assistant")) {
                Matcher found = MARK.matcher(text);
                while (found.find()) {
                    task = Optional.of(UUID.fromString(found.group(1)));
                }
            }
            if (!text.isBlank()) {
                earlier.add(role + ": " + text.strip());
            }
        }
        return new Conversation(text(messages.get(last)).strip(), String.join("\n\n", earlier), task);
    }

    /** A message's text: a string, or the text parts of an array of parts. */
    private static String text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isString()) {
            return content.asString();
        }
        var parts = new ArrayList<String>();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString()) && part.path("text").isString()) {
                parts.add(part.path("text").asString());
            }
        }
        return String.join("\n", parts);
    }

    /** The goal of a new task for this request: the request, and the end of what was said before. */
    String goal(int contextChars) {
        if (earlier.isBlank() || contextChars <= 0) {
            return request;
        }
        String context = earlier.length() <= contextChars ? earlier : "…" + earlier.substring(earlier.length() - contextChars);
        return request + "\n\nEarlier in this conversation:\n" + context;
    }
}
