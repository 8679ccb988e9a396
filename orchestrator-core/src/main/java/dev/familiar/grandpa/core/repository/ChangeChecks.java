package dev.familiar.grandpa.core.repository;

import dev.familiar.grandpa.core.backends.AgentSandboxSettings;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import dev.familiar.grandpa.workspace.sandbox.Access;
import dev.familiar.grandpa.workspace.sandbox.CheckResult;
import dev.familiar.grandpa.workspace.sandbox.Confined;
import dev.familiar.grandpa.workspace.sandbox.Limits;
import dev.familiar.grandpa.workspace.sandbox.Network;
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
    private final Limits limits;
    private final Workspaces workspaces;

    public ChangeChecks(Sandbox sandbox, Limits limits, Workspaces workspaces) {
        this.sandbox = sandbox;
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
                sandbox.run(worktree.dir(), setup, limits, access(repo))));
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
        return stored(taskId, attemptId, name, commit, sandbox.run(worktree.dir(), command, limits, access(repo)));
    }

    /**
     * Runs a command that is not among the repository's checks but comes from what the configuration names
     * (a bake-off case's held-out check, from a suite folder named in {@code grandpa.evals.suites}), the
     * way a check runs.
     */
    public CheckResult runNamedElsewhere(Repository repo, Worktree worktree, String command) {
        return sandbox.run(worktree.dir(), command, limits, access(repo));
    }

    /**
     * Confines a command-line agent to the directory it works in (an attempt's worktree, or a scratch
     * directory of its own when the task has no repository): it reaches only the hosts its backend
     * names, and its home holds only the files its backend lists. Close it once the agent has finished.
     *
     * @param repo the repository the directory is a worktree of, or null
     */
    public Confined confineAgent(Repository repo, Path dir, AgentSandboxSettings agent) {
        var readable = new ArrayList<>(agent.readable());
        var writable = new ArrayList<Path>();
        if (repo != null) {
            readable.addAll(readable(repo));
            repo.spec().writablePaths().forEach(p -> writable.add(Path.of(p)));
        }
        return sandbox.open(dir, new Access(agent.network(), writable, readable, agent.homePaths()), limits);
    }

    private Access access(Repository repo) {
        return new Access(repo.spec().network() ? Network.OUTBOUND : Network.NONE,
                repo.spec().writablePaths().stream().map(Path::of).toList(), readable(repo));
    }

    private List<Path> readable(Repository repo) {
        var readable = new ArrayList<Path>();
        repo.spec().readablePaths().forEach(p -> readable.add(Path.of(p)));
        readable.add(workspaces.gitDirectory(repo.spec())); // the worktree's git metadata, for checks that run git
        return readable;
    }

    private static StoredCheck stored(UUID taskId, Long attemptId, String name, String commit, CheckResult result) {
        return StoredCheck.of(taskId, attemptId, name, result.command(), commit, result.exitCode(), result.durationMs(),
                result.timedOut(), result.passed(), result.outputTail());
    }
}
