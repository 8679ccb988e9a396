package dev.familiar.grandpa.core.repository;

import dev.familiar.grandpa.workspace.repo.RepositorySpec;

/** A configured repository: where its code is and what proves a change, and what happens to a finished branch. */
public record Repository(RepositorySpec spec, boolean push, RepositorySettings.PullRequestSettings pullRequest) {
    public String name() {
        return spec.name();
    }
}
