package dev.familiar.grandpa.store.attempt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who gave a verdict: the checks alone (structural ones, or the repository's), grandpa's model, the
 * first judge (a cheaper backend, see grandpa.first-judge), or integration (the change passed but does
 * not apply to the task's branch as it is now). Stored in lower case.
 */
public enum JudgedBy {
    CHECKS,
    GRANDPA,
    /** A cheaper backend that judges before grandpa, sure of its verdict. */
    FIRST_JUDGE,
    INTEGRATION;

    @JsonValue
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JudgedBy fromStored(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
