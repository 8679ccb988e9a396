package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.time.Duration;
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
        @DefaultValue("7d") Duration historyWindow) {

    public CoderBackend.Guards guards() {
        return new CoderBackend.Guards(retryAttempts, retryBackoff, breakerWindow, breakerFailureRate, breakerOpenFor);
    }
}
