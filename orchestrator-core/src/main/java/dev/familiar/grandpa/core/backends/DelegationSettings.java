package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How calls to coder backends are guarded and routed ({@code grandpa.delegation.*}).
 *
 * @param retryAttempts      tries of one call when it fails transiently (connection lost, 429, unreachable)
 * @param breakerWindow      calls the circuit breaker looks back over
 * @param breakerFailureRate percentage of failed calls that opens the circuit
 * @param breakerOpenFor     how long an open circuit stays open before it half-opens to test the backend
 * @param probeInterval      how often every backend is probed (and the stored backends re-read)
 * @param exploreEvery       every n-th routing decision tries the least recently chosen backend…
 * @param exploreAfter       …when it has not been chosen for this long
 * @param historyWindow      how far back success rates are counted
 * @param apiKeyEnvPattern   the names an {@code apiKeyEnv} may have ({@code *} for any characters), so no other
 *                           secret of the service can be named and sent to a backend
 * @param allowedHosts       the hosts a backend's base URL may name; empty: any
 */
public record DelegationSettings(
        @DefaultValue("3") int retryAttempts,
        @DefaultValue("250ms") Duration retryBackoff,
        @DefaultValue("10") int breakerWindow,
        @DefaultValue("50") float breakerFailureRate,
        @DefaultValue("30s") Duration breakerOpenFor,
        @DefaultValue("15s") Duration probeInterval,
        @DefaultValue("10") int exploreEvery,
        @DefaultValue("1m") Duration exploreAfter,
        @DefaultValue("7d") Duration historyWindow,
        @DefaultValue("GRANDPA_KEY_*") String apiKeyEnvPattern,
        List<String> allowedHosts) {

    public DelegationSettings {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    public BackendPolicy policy() {
        return new BackendPolicy(apiKeyEnvPattern, allowedHosts);
    }

    public CoderBackend.Guards guards() {
        return new CoderBackend.Guards(retryAttempts, retryBackoff, breakerWindow, breakerFailureRate, breakerOpenFor);
    }
}
