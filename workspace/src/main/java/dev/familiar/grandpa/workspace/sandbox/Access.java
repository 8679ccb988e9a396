package dev.familiar.grandpa.workspace.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * What a command may reach beyond its worktree.
 *
 * @param writable  paths it may write
 * @param readable  paths it may read that are otherwise absent or hidden (the repository's git directory)
 * @param homeFiles files put, read-only, into its otherwise empty home (an agent's own configuration),
 *                  each at its path relative to the service user's home (or by its name when outside it)
 */
public record Access(Network network, List<Path> writable, List<Path> readable, List<Path> homeFiles) {
    public static final Access NONE = new Access(Network.NONE, List.of(), List.of(), List.of());

    public Access {
        writable = List.copyOf(writable);
        readable = List.copyOf(readable);
        homeFiles = List.copyOf(homeFiles);
    }

    public Access(Network network, List<Path> writable, List<Path> readable) {
        this(network, writable, readable, List.of());
    }
}
