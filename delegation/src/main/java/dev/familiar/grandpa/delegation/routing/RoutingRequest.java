package dev.familiar.grandpa.delegation.routing;

import java.util.Objects;
import java.util.Set;

/**
 * What one subtask asks of routing: a backend with this capability, none of those that already failed
 * it, at the place its schedule planned.
 *
 * @param exclude backends that already failed this subtask
 * @param pinned  the backend it must go back to (a retry with feedback), or null to let routing choose
 * @param planned where and when its schedule wants it; the earliest planned start is served first
 */
public record RoutingRequest(String capability, Set<String> exclude, String pinned, Planned planned) {
    public RoutingRequest {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(planned, "planned");
        exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
    }
}
