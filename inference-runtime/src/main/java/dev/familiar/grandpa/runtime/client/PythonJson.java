package dev.familiar.grandpa.runtime.client;

import java.util.List;
import java.util.Map;

/**
 * JSON as Python's {@code json.dumps(value, ensure_ascii=False)} writes it (", " between items, ": " after
 * keys), which is what chat templates' {@code tojson} prints, in Hugging Face's renderer and in llama.cpp's:
 * the tools and tool calls a model was trained on look exactly so.
 */
final class PythonJson {
    private PythonJson() {}

    static String write(Object value) {
        var out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d when d == Math.rint(d) && !d.isInfinite() -> out.append(d); // Python writes 1.0
            case Number n -> out.append(n);
            case Map<?, ?> map -> {
                out.append('{');
                String sep = "";
                for (var entry : map.entrySet()) {
                    out.append(sep);
                    string(String.valueOf(entry.getKey()), out);
                    out.append(": ");
                    write(entry.getValue(), out);
                    sep = ", ";
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                String sep = "";
                for (Object item : list) {
                    out.append(sep);
                    write(item, out);
                    sep = ", ";
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
