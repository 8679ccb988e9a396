package dev.familiar.grandpa.core.backends;

import java.util.List;

/** The coder backends the configuration file names ({@code grandpa.backends}), as one bean. */
public record ConfiguredBackends(List<BackendSettings> backends) {
    public ConfiguredBackends {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }
}
