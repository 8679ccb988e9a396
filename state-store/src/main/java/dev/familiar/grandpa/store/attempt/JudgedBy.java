package dev.familiar.grandpa.store.attempt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who gave a verdict: the checks alone (structural ones, or the repository's), grandpa's model, or
 * integration (the change passed but does not apply to the task's branch as it is now). Stored in
 * lower case.
 */
public enum JudgedBy {
    CHECKS,
    GRANDPA,
    INTEGRATION;

    @JsonValue
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JudgedBy fromStored(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
