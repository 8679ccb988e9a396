package dev.familiar.grandpa.workspace.repo;

import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.git.GitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * grandpa's checkouts of the repositories it works in, under one directory: a bare clone of each
 * ({@code mirrors/}, fetched before every task; task branches live there, where a fetch leaves them),
 * a worktree per attempt ({@code attempts/<task>/<attempt>}, at the head of the task's branch), and a
 * worktree per task on its branch ({@code branches/<task>}) where accepted changes are committed.
 */
public final class Workspaces {
    private final Path root;
    private final Git git;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public Workspaces(Path root, Git git) {
        this.root = root.toAbsolutePath();
        this.git = git;
    }

    /** The repository's bare clone, made on first use and fetched every time after; returns its path. */
    public Path fetch(RepositorySpec repo) {
        Path mirror = mirror(repo);
        synchronized (lock(repo.name())) {
            var env = credentials(repo);
            try {
                if (!Files.exists(mirror.resolve("HEAD"))) {
                    Files.createDirectories(mirror.getParent());
                    git.run(mirror.getParent(), env, "clone", "--bare", "--quiet", repo.url(), mirror.toString());
                    git.run(mirror, "config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*");
                }
                git.run(mirror, env, "fetch", "--quiet", "--prune", "origin");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mirror;
    }

    /**
     * The task's branch, made once from the default branch as last fetched.
     *
     * @return the commit it started from (for a branch made earlier, the commit it was made from then)
     */
    public String startBranch(RepositorySpec repo, String branch) {
        Path mirror = mirror(repo);
        synchronized (lock(repo.name())) {
            if (!exists(mirror, "refs/heads/" + branch)) {
                git.run(mirror, "branch", "--no-track", branch, "refs/remotes/origin/" + repo.defaultBranch());
            }
            return git.run(mirror, "merge-base", "refs/remotes/origin/" + repo.defaultBranch(), "refs/heads/" + branch).strip();
        }
    }

    /** The task's branch, made anew at {@code base} (the mirror lost it, say); false when it still exists. */
    public boolean restoreBranch(RepositorySpec repo, String branch, String base) {
        Path mirror = mirror(repo);
        synchronized (lock(repo.name())) {
            if (hasBranch(repo, branch)) {
                return false;
            }
            git.run(mirror, "branch", "--no-track", branch, base);
            return true;
        }
    }

    public boolean hasBranch(RepositorySpec repo, String branch) {
        return Files.exists(mirror(repo).resolve("HEAD")) && exists(mirror(repo), "refs/heads/" + branch);
    }

    /**
     * The commit on the branch since {@code base} with this line in its message (a trailer naming what
     * it came from), if any.
     */
    public Optional<String> findCommit(RepositorySpec repo, String base, String branch, String line) {
        String found = git.run(mirror(repo), "log", "--format=%H", "--grep=^" + line.replaceAll("[^A-Za-z0-9: _-]", ".") + "$",
                base + "..refs/heads/" + branch);
        return found.lines().findFirst();
    }

    /** The head of the task's branch. */
    public String head(RepositorySpec repo, String branch) {
        return git.run(mirror(repo), "rev-parse", "refs/heads/" + branch).strip();
    }

    /** A worktree of its own for one attempt, at the head of the task's branch (made anew if one was left). */
    public Worktree checkout(RepositorySpec repo, String branch, UUID taskId, String attempt) {
        Path dir = root.resolve("attempts").resolve(taskId.toString()).resolve(attempt);
        Path mirror = mirror(repo);
        synchronized (lock(repo.name())) {
            removeQuietly(mirror, dir);
            String head = head(repo, branch);
            try {
                Files.createDirectories(dir.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // files written by parallel workers: on a slow disk most of the time goes into creating them
            git.run(mirror, "-c", "checkout.workers=0", "-c", "checkout.thresholdForParallelism=1000", "worktree", "add",
                    "--quiet", "--detach", dir.toString(), head);
            return new Worktree(dir, head);
        }
    }

    /** What was changed in the worktree since it started, new files included, as a patch git applies. */
    public String diff(Worktree worktree) {
        git.run(worktree.dir(), "add", "--all");
        return git.run(worktree.dir(), "diff", "--cached", "--binary", worktree.startCommit());
    }

    /** The links the worktree's change adds that lead out of the repository: never committed ({@link LinksOut}). */
    public List<String> linksOut(Worktree worktree) {
        git.run(worktree.dir(), "add", "--all");
        return LinksOut.of(git.run(worktree.dir(), "diff", "--cached", "--raw", "-z", "--no-renames", worktree.startCommit()),
                worktree.dir());
    }

    /** The files of the repository in the worktree (tracked ones: not what a setup installed), sorted. */
    public List<String> files(Worktree worktree) {
        return git.run(worktree.dir(), "ls-files").lines().sorted().toList();
    }

    /** The files changed in the worktree since it started, with lines added and removed. */
    public String diffstat(Worktree worktree) {
        git.run(worktree.dir(), "add", "--all");
        return git.run(worktree.dir(), "diff", "--cached", "--stat", worktree.startCommit());
    }

    /**
     * Commits a patch on the task's branch, as its next commit; one that does not apply to the branch
     * as it is now (another accepted change touched the same lines) is a conflict, and the branch is
     * left as it was.
     */
    public Committed commit(RepositorySpec repo, String branch, UUID taskId, String patch, String message) {
        Path mirror = mirror(repo);
        Path dir = root.resolve("branches").resolve(taskId.toString());
        synchronized (lock(repo.name() + "#" + taskId)) {
            synchronized (lock(repo.name())) {
                if (!Files.exists(dir.resolve(".git"))) {
                    removeQuietly(mirror, dir);
                    git.run(mirror, "worktree", "add", "--quiet", dir.toString(), branch);
                }
            }
            git.run(dir, "reset", "--hard", "--quiet", "refs/heads/" + branch);
            if (patch.isBlank()) {
                return new Committed.Applied(head(repo, branch), false);
            }
            var applied = git.attempt(dir, Map.of(), patch.getBytes(StandardCharsets.UTF_8), "apply", "--index", "--3way",
                    "--whitespace=nowarn", "-");
            if (!applied.ok() || !git.attempt(dir, Map.of(), null, "diff", "--name-only", "--diff-filter=U").out().isBlank()) {
                git.run(dir, "reset", "--hard", "--quiet", "refs/heads/" + branch);
                git.run(dir, "clean", "-fdq");
                return new Committed.Conflict((applied.err() + applied.out()).strip());
            }
            git.run(dir, "commit", "--quiet", "--allow-empty", "-m", message);
            return new Committed.Applied(git.run(dir, "rev-parse", "HEAD").strip(), true);
        }
    }

    /** The unified diff of the task's branch since it started. */
    public String branchDiff(RepositorySpec repo, String base, String branch) {
        return git.run(mirror(repo), "diff", base, "refs/heads/" + branch);
    }

    public String branchDiffstat(RepositorySpec repo, String base, String branch) {
        return git.run(mirror(repo), "diff", "--stat", base, "refs/heads/" + branch);
    }

    /** Pushes the task's branch to the repository's remote. */
    public void push(RepositorySpec repo, String branch) {
        git.run(mirror(repo), credentials(repo), "push", "--quiet", "origin", "refs/heads/" + branch + ":refs/heads/" + branch);
    }

    /** Takes an attempt's worktree away. */
    public void remove(RepositorySpec repo, Worktree worktree) {
        synchronized (lock(repo.name())) {
            removeQuietly(mirror(repo), worktree.dir());
        }
    }

    /**
     * Takes the task's branch worktree away (the branch stays in the mirror); its attempts' worktrees
     * that were kept after failed checks stay until {@link #sweep} finds them old enough.
     */
    public void finish(RepositorySpec repo, UUID taskId) {
        synchronized (lock(repo.name())) {
            removeQuietly(mirror(repo), root.resolve("branches").resolve(taskId.toString()));
        }
    }

    /**
     * Takes away attempts' worktrees last changed longer ago than {@code age} (those kept after a failed
     * check); returns how many.
     */
    public int sweep(Duration age) {
        Path attempts = root.resolve("attempts");
        if (!Files.isDirectory(attempts)) {
            return 0;
        }
        var cutoff = Instant.now().minus(age);
        int removed = 0;
        try (var tasks = Files.list(attempts)) {
            for (Path task : tasks.toList()) {
                try (var dirs = Files.list(task)) {
                    for (Path dir : dirs.toList()) {
                        if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                            deleteTree(dir);
                            removed++;
                        }
                    }
                }
                try (var left = Files.list(task)) {
                    if (left.findAny().isEmpty()) {
                        Files.deleteIfExists(task);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var mirrors = Files.list(root.resolve("mirrors"))) {
            mirrors.forEach(m -> git.attempt(m, Map.of(), null, "worktree", "prune"));
        } catch (IOException e) {
            // no mirrors yet
        }
        return removed;
    }

    private void removeQuietly(Path mirror, Path dir) {
        deleteTree(dir);
        if (Files.exists(mirror.resolve("HEAD"))) {
            git.attempt(mirror, Map.of(), null, "worktree", "prune");
        }
    }

    /** Deletes a directory and what is in it, links themselves and never what they point to. */
    public static void deleteTree(Path dir) {
        if (Files.exists(dir)) {
            try (var tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean exists(Path mirror, String ref) {
        return git.attempt(mirror, Map.of(), null, "rev-parse", "--verify", "--quiet", ref).ok();
    }

    /** The repository's bare clone, which its worktrees' git metadata lives in (a check running git reads it). */
    public Path gitDirectory(RepositorySpec repo) {
        return mirror(repo);
    }

    /** The repository's bare mirror (there once its first task fetched it), where the code-symbols server reads it. */
    public Path mirror(RepositorySpec repo) {
        return root.resolve("mirrors").resolve(repo.directoryName() + ".git");
    }

    private Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    /** https credentials as git config in the environment: the token is never on a command line. */
    private static Map<String, String> credentials(RepositorySpec repo) {
        if (repo.credentialsEnv() == null) {
            return Map.of();
        }
        String token = System.getenv(repo.credentialsEnv());
        if (token == null || token.isBlank()) {
            throw new GitException("repository " + repo.name() + ": environment variable " + repo.credentialsEnv()
                    + " holds no token", -1);
        }
        String user = repo.username() == null ? "grandpa" : repo.username();
        String basic = Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        var env = new HashMap<String, String>();
        env.put("GIT_CONFIG_COUNT", "1");
        env.put("GIT_CONFIG_KEY_0", "http.extraHeader");
        env.put("GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
        return env;
    }
}
