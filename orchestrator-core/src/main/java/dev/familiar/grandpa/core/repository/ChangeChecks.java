package dev.familiar.grandpa.core.repository;

import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import dev.familiar.grandpa.workspace.sandbox.CheckResult;
import dev.familiar.grandpa.workspace.sandbox.Limits;
import dev.familiar.grandpa.workspace.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a repository's commands in a worktree, in the sandbox: its setup, and the checks that prove a
 * change. Only commands from the configuration run; a name that is not among the repository's checks
 * is refused.
 */
public class ChangeChecks {
    private final Sandbox sandbox;
    private final Sandbox agentSandbox;
    private final Limits limits;
    private final Workspaces workspaces;

    /** @param agentSandbox where command-line agents work (it may show them more: their home, say) */
    public ChangeChecks(Sandbox sandbox, Sandbox agentSandbox, Limits limits, Workspaces workspaces) {
        this.sandbox = sandbox;
        this.agentSandbox = agentSandbox;
        this.limits = limits;
        this.workspaces = workspaces;
    }

    /** The repository's setup in a fresh worktree, if it has one. */
    public Optional<StoredCheck> setup(UUID taskId, Long attemptId, Repository repo, Worktree worktree) {
        String setup = repo.spec().setup();
        if (setup == null || setup.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(stored(taskId, attemptId, "setup", null,
                sandbox.run(worktree.dir(), setup, limits, access(repo, repo.spec().network()))));
    }

    /**
     * Runs the named check of the repository.
     *
     * @param commit the commit checked (a check of the branch), or null for an attempt's change
     */
    public StoredCheck run(UUID taskId, Long attemptId, Repository repo, Worktree worktree, String name, String commit) {
        String command = repo.spec().checks().get(name);
        if (command == null) {
            throw new IllegalArgumentException("repository " + repo.name() + " has no check '" + name + "'");
        }
        return stored(taskId, attemptId, name, commit, sandbox.run(worktree.dir(), command, limits,
                access(repo, repo.spec().network())));
    }

    /** What a command-line agent runs under in the worktree: the sandbox, with the network it needs for its model. */
    public List<String> agentLauncher(Repository repo, Worktree worktree) {
        return agentSandbox.launcher(worktree.dir(), access(repo, true));
    }

    private Sandbox.Access access(Repository repo, boolean network) {
        var readable = new ArrayList<Path>();
        repo.spec().readablePaths().forEach(p -> readable.add(Path.of(p)));
        readable.add(workspaces.gitDirectory(repo.spec())); // the worktree's git metadata, for checks that run git
        return new Sandbox.Access(network, repo.spec().writablePaths().stream().map(Path::of).toList(), readable);
    }

    private static StoredCheck stored(UUID taskId, Long attemptId, String name, String commit, CheckResult result) {
        return StoredCheck.of(taskId, attemptId, name, result.command(), commit, result.exitCode(), result.durationMs(),
                result.timedOut(), result.passed(), result.outputTail());
    }
}
