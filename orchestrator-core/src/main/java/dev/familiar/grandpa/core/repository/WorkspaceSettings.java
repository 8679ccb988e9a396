package dev.familiar.grandpa.core.repository;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where grandpa keeps its checkouts ({@code grandpa.workspaces.*}).
 *
 * @param dir           bare mirrors, task branches and attempts' worktrees
 * @param keepFailedFor the worktree of an attempt whose checks failed is kept this long for inspection
 * @param gitTimeout    the longest one git command may take (a clone of a large repository included)
 */
@ConfigurationProperties("grandpa.workspaces")
public record WorkspaceSettings(
        @DefaultValue("data/workspaces") Path dir,
        @DefaultValue("1d") Duration keepFailedFor,
        @DefaultValue("10m") Duration gitTimeout) {}
