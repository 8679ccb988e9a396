package dev.familiar.grandpa.runtime.session;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why grandpa's model is asked: each of its three jobs. Written in lower case in events and metrics. */
public enum Purpose {
    PLAN,
    JUDGE,
    INTEGRATE;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
