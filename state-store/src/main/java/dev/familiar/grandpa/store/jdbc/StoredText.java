package dev.familiar.grandpa.store.jdbc;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Text as PostgreSQL stores it: a model or a coder may answer with a NUL character or half of a
 * surrogate pair, which {@code text} and {@code jsonb} columns refuse (the whole insert fails, and
 * with it the step that wanted to store its result). NULs are dropped; a lone surrogate becomes the
 * replacement character. Everything else is kept as it is.
 */
public final class StoredText {
    private StoredText() {}

    /** For a JSON mapper whose output goes into the store: every string it writes is cleaned. */
    public static SimpleModule jacksonModule() {
        return new SimpleModule("stored-text").addSerializer(String.class, new StdSerializer<>(String.class) {
            @Override
            public void serialize(String value, JsonGenerator gen, SerializationContext context) {
                gen.writeString(clean(value));
            }
        });
    }

    public static String clean(String text) {
        if (text == null || !needsCleaning(text)) {
            return text;
        }
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsCleaning(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                return true; // a paired surrogate is rare enough to take the slow path
            }
        }
        return false;
    }
}
