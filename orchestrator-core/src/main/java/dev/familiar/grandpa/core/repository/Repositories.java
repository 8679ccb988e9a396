package dev.familiar.grandpa.core.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repositories of the configuration, by name, and those a source of its own makes (a bake-off run's
 * case repositories, made from the suite folders the configuration names).
 */
public class Repositories {
    /** Repositories that are not listed in {@code grandpa.repositories} but come from what it names. */
    public interface Source {
        Optional<Repository> find(String name);
    }

    private final Map<String, Repository> byName = new LinkedHashMap<>();
    private final List<Source> sources;
    private final boolean canRunChecks;

    /**
     * @param canRunChecks whether commands can run at all (bubblewrap is there, or running unconfined is allowed)
     * @throws IllegalArgumentException naming a repository that is configured wrong
     */
    public Repositories(List<RepositorySettings> settings, boolean canRunChecks) {
        this(settings, List.of(), canRunChecks);
    }

    /** @param sources asked, in order, for a name the configuration does not list */
    public Repositories(List<RepositorySettings> settings, List<Source> sources, boolean canRunChecks) {
        this.sources = List.copyOf(sources);
        this.canRunChecks = canRunChecks;
        for (RepositorySettings s : settings) {
            Repository repo = s.toRepository();
            if (byName.putIfAbsent(repo.name(), repo) != null) {
                throw new IllegalArgumentException("repository " + repo.name() + " is configured twice");
            }
        }
    }

    public Optional<Repository> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Repository configured = byName.get(name);
        if (configured != null) {
            return Optional.of(configured);
        }
        return sources.stream().flatMap(s -> s.find(name).stream()).findFirst();
    }

    /** The task's repository; it was checked at submission, so a missing one means the configuration lost it. */
    public Repository of(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("repository " + name
                + " is no longer configured (grandpa.repositories)"));
    }

    /** The configured repositories (not those of a source). */
    public List<Repository> all() {
        return List.copyOf(byName.values());
    }

    /**
     * What is wrong with a submission's repository and acceptance check, if anything: the repository
     * must be configured, and the acceptance check one of its checks (a task never brings a command of
     * its own).
     */
    public Optional<String> problem(String repo, String acceptance) {
        if (repo == null) {
            return Optional.empty();
        }
        Repository found = find(repo).orElse(null);
        if (found == null) {
            return Optional.of("unknown repository '" + repo + "'; configured: "
                    + (byName.isEmpty() ? "none (grandpa.repositories)" : String.join(", ", byName.keySet())));
        }
        if (acceptance != null && !found.spec().checks().containsKey(acceptance)) {
            return Optional.of("acceptanceCommand names a check of repository " + repo + ": one of "
                    + found.spec().checks().keySet() + ", not '" + acceptance + "'");
        }
        return Optional.empty();
    }

    /** Why this service cannot work in a repository now (no sandbox to run checks in), if it cannot. */
    public Optional<String> unavailable() {
        return canRunChecks ? Optional.empty() : Optional.of("this service cannot run checks: bubblewrap (bwrap) is not "
                + "installed (Debian: apt-get install bubblewrap), and grandpa.sandbox.allow-unsandboxed is off");
    }

    /** The check a task's whole change must pass: the one it names, else its repository's, else none. */
    public static String acceptanceOf(Repository repo, String named) {
        return named != null ? named : repo.spec().acceptance();
    }
}
