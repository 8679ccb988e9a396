package dev.familiar.grandpa.delegation.backend;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The coder backends grandpa may delegate to, by name. Backends come from configuration and from
 * the API at run time; replacing one keeps its enabled and draining flags.
 */
public final class BackendRegistry {
    private final ConcurrentSkipListMap<String, CoderBackend> backends = new ConcurrentSkipListMap<>();
    private final CoderBackend.Guards guards;

    public BackendRegistry(List<BackendSpec> specs) {
        this(specs, CoderBackend.Guards.defaults());
    }

    public BackendRegistry(List<BackendSpec> specs, CoderBackend.Guards guards) {
        this.guards = guards;
        for (BackendSpec spec : specs) {
            if (backends.containsKey(spec.name())) {
                throw new IllegalArgumentException("two backends are named " + spec.name());
            }
            put(spec);
        }
    }

    /** Adds a backend, or replaces one of the same name (calls in flight on the old one finish there). */
    public CoderBackend put(BackendSpec spec) {
        var backend = new CoderBackend(spec, guards);
        var old = backends.put(spec.name(), backend);
        if (old != null) {
            backend.setEnabled(old.enabled());
            backend.setDraining(old.draining());
        }
        return backend;
    }

    /** Takes a backend out; calls in flight on it finish there. */
    public void remove(String name) {
        backends.remove(name);
    }

    public Collection<CoderBackend> all() {
        return backends.values();
    }

    public Optional<CoderBackend> find(String name) {
        return Optional.ofNullable(backends.get(name));
    }
}
