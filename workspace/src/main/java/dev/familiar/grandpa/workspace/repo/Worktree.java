package dev.familiar.grandpa.workspace.repo;

import java.nio.file.Path;

/** A checkout of its own for one attempt: a directory, and the commit it started from. */
public record Worktree(Path dir, String startCommit) {}
