package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import dev.familiar.grandpa.store.backend.BackendRecord;
import dev.familiar.grandpa.store.backend.BackendRepository;
import dev.familiar.grandpa.store.backend.BackendSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the live backend registry and the {@code backends} table in step: configured backends are
 * written at start and those the configuration no longer names are removed (their history stays in
 * the statistics), backends added or changed through the API are stored first and then go live, and
 * every instance re-reads the table so a change made on one reaches the others. A command-line agent
 * runs only as this instance's configuration file names it: a stored one it does not name (restored
 * from a backup, written into the table) is never built, and the API can neither add nor change one.
 */
public class BackendCatalog {
    private final BackendRepository repository;
    private final BackendRegistry registry;
    private final BackendPolicy policy;
    private final Map<String, Instant> applied = new HashMap<>();
    private final Map<String, BackendSpec> agents = new HashMap<>();

    /** @throws IllegalArgumentException when a configured backend breaks the policy (the service does not start) */
    public BackendCatalog(BackendRepository repository, BackendRegistry registry, BackendPolicy policy,
                          List<BackendSpec> configured) {
        this.repository = repository;
        this.registry = registry;
        this.policy = policy;
        var names = new java.util.HashSet<String>();
        for (BackendSpec spec : configured) {
            policy.check(spec, BackendSource.CONFIG);
            names.add(spec.name());
            if (spec.kind() == BackendKind.CLI) {
                agents.put(spec.name(), spec);
            }
        }
        for (BackendRecord r : repository.all()) {
            if (!names.contains(r.name()) && (r.source() == BackendSource.CONFIG || r.kind().equals(BackendKind.CLI.name()))) {
                repository.delete(r.name());
            }
        }
        for (BackendSpec spec : configured) {
            repository.upsert(record(spec, BackendSource.CONFIG, true, false));
        }
        refresh();
    }

    /** Applies stored backends that are new or changed since they were last applied, and drops deleted ones. */
    public synchronized void refresh() {
        var stored = repository.all();
        var names = stored.stream().map(BackendRecord::name).collect(java.util.stream.Collectors.toSet());
        for (CoderBackend live : List.copyOf(registry.all())) {
            if (!names.contains(live.name())) {
                registry.remove(live.name());
                applied.remove(live.name());
            }
        }
        for (BackendRecord r : stored) {
            if (r.updatedAt().equals(applied.get(r.name())) && registry.find(r.name()).isPresent()) {
                continue;
            }
            BackendSpec spec = r.kind().equals(BackendKind.CLI.name()) ? agents.get(r.name()) : spec(r);
            if (spec == null) {
                continue; // an agent this instance's configuration does not name: never run
            }
            CoderBackend backend = registry.find(r.name())
                    .filter(b -> b.spec().equals(spec))
                    .orElseGet(() -> registry.put(spec));
            backend.setEnabled(r.enabled());
            backend.setDraining(r.draining());
            applied.put(r.name(), r.updatedAt());
        }
    }

    public List<BackendRecord> all() {
        return repository.all();
    }

    public Optional<BackendRecord> find(String name) {
        return repository.find(name);
    }

    /**
     * Stores a new backend and makes it live; false when the name is taken, in any case of its letters.
     *
     * @throws IllegalArgumentException when it breaks the policy
     */
    public synchronized boolean add(BackendSpec spec) {
        policy.check(spec, BackendSource.API);
        if (repository.findIgnoringCase(spec.name()).isPresent()) {
            return false;
        }
        repository.upsert(record(spec, BackendSource.API, true, false));
        refresh();
        return true;
    }

    /** @throws IllegalArgumentException when the change breaks the policy */
    public synchronized BackendRecord update(BackendSpec spec) {
        var existing = repository.find(spec.name()).orElseThrow();
        if (existing.kind().equals(BackendKind.CLI.name()) || spec.kind() == BackendKind.CLI) {
            throw new IllegalArgumentException("backend " + spec.name() + ": command-line agents change only in the "
                    + "configuration file (grandpa.backends[i]), never through the API");
        }
        policy.check(spec, existing.source());
        repository.upsert(record(spec, existing.source(), existing.enabled(), existing.draining()));
        refresh();
        return repository.find(spec.name()).orElseThrow();
    }

    public synchronized Optional<BackendRecord> setFlags(String name, boolean enabled, boolean draining) {
        var updated = repository.setFlags(name, enabled, draining);
        refresh();
        return updated;
    }

    /** Takes a backend out of the table and, within a probe interval, out of every instance's registry. */
    public synchronized boolean remove(String name) {
        boolean removed = repository.delete(name);
        refresh();
        return removed;
    }

    public static BackendSpec spec(BackendRecord r) {
        return new BackendSpec(r.name(), BackendKind.valueOf(r.kind()), r.baseUrl(), r.model(), r.apiKeyEnv(),
                r.command(), r.workingDirectory(), Set.copyOf(r.capabilities()), r.slots(),
                Duration.ofMillis(r.timeoutMs()), r.contextLimit(), r.cost());
    }

    static BackendRecord record(BackendSpec s, BackendSource source, boolean enabled, boolean draining) {
        return new BackendRecord(s.name(), s.kind().name(), s.baseUrl(), s.model(), s.apiKeyEnv(), s.command(),
                s.workingDirectory(), List.copyOf(new TreeSet<>(s.capabilities())), s.slots(), s.timeout().toMillis(),
                s.contextLimit(), s.cost(), enabled, draining, source, null, null);
    }
}
