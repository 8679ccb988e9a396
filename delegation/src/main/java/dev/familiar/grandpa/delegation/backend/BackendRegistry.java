package dev.familiar.grandpa.delegation.backend;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The coder backends grandpa may delegate to, by name. */
public final class BackendRegistry {
    private final Map<String, CoderBackend> backends = new LinkedHashMap<>();

    public BackendRegistry(List<BackendSpec> specs) {
        for (BackendSpec spec : specs) {
            if (backends.putIfAbsent(spec.name(), new CoderBackend(spec)) != null) {
                throw new IllegalArgumentException("two backends are named " + spec.name());
            }
        }
    }

    public Collection<CoderBackend> all() {
        return backends.values();
    }

    public Optional<CoderBackend> find(String name) {
        return Optional.ofNullable(backends.get(name));
    }

    public boolean anyWith(String capability) {
        return backends.values().stream().anyMatch(b -> b.spec().capabilities().contains(capability));
    }
}
