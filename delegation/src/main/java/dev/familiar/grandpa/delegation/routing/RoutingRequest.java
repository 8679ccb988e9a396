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
 * @param avoid   backends that just failed it for their own sake (away, overloaded): taken only when no
 *                other can
 */
public record RoutingRequest(String capability, Set<String> exclude, String pinned, Planned planned, Set<String> avoid) {
    public RoutingRequest {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(planned, "planned");
        exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
        avoid = avoid == null ? Set.of() : Set.copyOf(avoid);
    }

    public RoutingRequest(String capability, Set<String> exclude, String pinned, Planned planned) {
        this(capability, exclude, pinned, planned, Set.of());
    }
}
