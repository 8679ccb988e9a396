package dev.familiar.grandpa.store.workspace;

import java.time.Instant;
import java.util.UUID;

/**
 * A task's branch in its repository: where it started ({@code baseCommit}) and where accepted changes
 * have brought it ({@code headCommit}).
 *
 * @param pushedAt       when the branch was last pushed to the repository's remote, or null
 * @param pullRequestUrl the pull request opened for it, or null
 */
public record TaskWorkspace(UUID taskId, String repository, String branch, String baseCommit, String headCommit,
                            Instant pushedAt, String pullRequestUrl, Instant createdAt, Instant updatedAt) {}
