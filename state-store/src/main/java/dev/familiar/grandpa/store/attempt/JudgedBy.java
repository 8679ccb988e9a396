package dev.familiar.grandpa.store.attempt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who gave a verdict: the structural checks alone, or grandpa's model. Stored in lower case. */
public enum JudgedBy {
    CHECKS,
    GRANDPA;

    @JsonValue
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JudgedBy fromStored(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
