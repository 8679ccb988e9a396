package dev.familiar.grandpa.core.api;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What no text grandpa stores may hold: a NUL character (PostgreSQL refuses it) or half of a surrogate
 * pair (no encoding can write it). Every door refuses such text with a 400 that says so.
 */
public final class StoredText {
    private StoredText() {}

    /** Why the text cannot be stored, if it cannot. */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of("text may not contain a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("text may not contain half of a surrogate pair (at character " + i + ")");
            }
        }
        return Optional.empty();
    }

    /** The first problem of any text in a JSON document, keys included. */
    public static Optional<String> problemIn(JsonNode node) {
        if (node.isString()) {
            return problem(node.asString());
        }
        for (var entry : node.properties()) {
            var found = problem(entry.getKey()).or(() -> problemIn(entry.getValue()));
            if (found.isPresent()) {
                return found;
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                var found = problemIn(item);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** @throws BadRequestException naming the field whose text cannot be stored */
    static void check(String field, String text) {
        problem(text).ifPresent(p -> {
            throw new BadRequestException(field + ": " + p);
        });
    }
}
