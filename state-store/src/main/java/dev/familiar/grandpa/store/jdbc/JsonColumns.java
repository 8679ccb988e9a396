package dev.familiar.grandpa.store.jdbc;

import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes the jsonb columns (lists and small maps) as text; SQL casts them. */
public final class JsonColumns {
    /** Every string written is {@link StoredText#clean cleaned}, so a jsonb column never refuses it. */
    private static final JsonMapper JSON = JsonMapper.builder().addModule(StoredText.jacksonModule()).build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private JsonColumns() {}

    /** The JSON a jsonb column takes; also for any other JSON the store writes. */
    public static String write(Object value) {
        return JSON.writeValueAsString(value);
    }

    public static List<String> strings(String json) {
        return json == null ? List.of() : List.copyOf(JSON.readValue(json, STRINGS));
    }

    public static Map<String, Object> map(String json) {
        return json == null ? Map.of() : JSON.readValue(json, MAP);
    }

    public static <T> List<T> list(String json, Class<T> type) {
        return json == null ? List.of()
                : List.copyOf(JSON.readValue(json, JSON.getTypeFactory().constructCollectionType(List.class, type)));
    }
}
