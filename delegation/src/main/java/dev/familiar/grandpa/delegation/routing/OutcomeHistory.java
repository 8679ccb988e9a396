package dev.familiar.grandpa.delegation.routing;

/** How each backend's recent calls for a capability ended; kept in PostgreSQL so it outlives restarts. */
@FunctionalInterface
public interface OutcomeHistory {

    record Outcomes(long succeeded, long failed) {
        /** The success rate with one success and one failure assumed, so a new backend starts at 0.5. */
        public double rate() {
            return (succeeded + 1.0) / (succeeded + failed + 2.0);
        }

        /**
         * The success rate with one success assumed and no failure, so a backend with no record, or a
         * short clean one, counts as reliable until it fails: what planning a schedule needs, where
         * {@link #rate()} would make a little-used backend look twice as slow as it is.
         */
        public double optimisticRate() {
            return (succeeded + 1.0) / (succeeded + failed + 1.0);
        }
    }

    Outcomes of(String backend, String capability);

    OutcomeHistory NONE = (backend, capability) -> new Outcomes(0, 0);
}
