package dev.familiar.grandpa.delegation.routing;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.Locale;

/** Why a routing went where it went, in words stored with the attempt. */
final class RoutingReason {
    private RoutingReason() {}

    /** @param load calls already running on the chosen backend */
    static String of(RoutingRequest r, Exploration.Choice choice, int candidates, int load, OutcomeHistory history, long now) {
        CoderBackend b = choice.backend();
        var outcomes = history.of(b.name(), r.capability());
        Planned planned = r.planned();
        String schedule = r.pinned() != null ? " (same backend again)" : planned.backend() == null ? ""
                : planned.keptTo(now) && planned.backend().equals(b.name()) ? " as scheduled"
                : String.format(Locale.ROOT, " (scheduled on %s, %d ms late)", planned.backend(), now - planned.startMillis());
        return String.format(Locale.ROOT,
                "capability %s: %s%s%s, estimated success %.2f (%d passed of %d recent calls), usual call %s, %d/%d slots in use, cost %s, "
                        + "among %d candidate(s)%s",
                r.capability(), b.name(), schedule, choice.exploring() ? " (exploring)" : "", outcomes.rate(),
                outcomes.succeeded(), outcomes.succeeded() + outcomes.failed(),
                b.serviceMillis().isPresent() ? Math.round(b.serviceMillis().getAsDouble()) + " ms" : "not measured",
                load, b.spec().slots(), b.spec().cost(), candidates,
                r.exclude().isEmpty() ? "" : "; excluded after failures: " + String.join(", ", r.exclude()));
    }
}
