package dev.familiar.grandpa.workspace.bench;

import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.repo.RepositorySpec;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How long an attempt waits for its worktree: a repository of {@code files} files (default 10,000, in
 * 100 directories) is cloned into a bare mirror once, then {@code runs} worktrees (default 20) are made
 * at the task branch's head and taken away again, timed one by one. Also the first clone and a fetch
 * with nothing new, for scale.
 *
 * <p>Arguments: {@code files=N}, {@code runs=N}, {@code dir=PATH} (default: a new directory under
 * {@code target/}; the disk it is on decides most of it).
 */
public final class WorktreeBenchmark {
    public static void main(String[] args) throws Exception {
        int files = 10_000;
        int runs = 20;
        Path dir = Path.of("target", "worktree-bench-" + UUID.randomUUID()).toAbsolutePath();
        for (String arg : args) {
            if (arg.startsWith("files=")) {
                files = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("runs=")) {
                runs = Integer.parseInt(arg.substring(5));
            } else if (arg.startsWith("dir=")) {
                dir = Path.of(arg.substring(4), "worktree-bench-" + UUID.randomUUID()).toAbsolutePath();
            }
        }
        var git = new Git(Duration.ofMinutes(10));
        Path upstream = dir.resolve("upstream");
        Files.createDirectories(upstream);
        git.run(upstream, "init", "--quiet", "--initial-branch=main");
        for (int i = 0; i < files; i++) {
            Path file = upstream.resolve("src/pkg" + (i % 100) + "/File" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package pkg" + (i % 100) + ";\n\n/** File " + i + ". */\npublic final class File" + i
                    + " {\n    static int value() {\n        return " + i + ";\n    }\n}\n");
        }
        git.run(upstream, "add", "--all");
        git.run(upstream, "commit", "--quiet", "-m", files + " files");

        var workspaces = new Workspaces(dir.resolve("workspaces"), git);
        var repo = new RepositorySpec("bench", upstream.toString(), "main", null, Map.of(), null, null, null, false, null,
                null);
        long clone = time(() -> workspaces.fetch(repo));
        long fetch = time(() -> workspaces.fetch(repo));
        workspaces.startBranch(repo, "grandpa/bench");
        UUID task = UUID.randomUUID();
        var checkouts = new ArrayList<Long>();
        var serial = new ArrayList<Long>();
        var removals = new ArrayList<Long>();
        Path mirror = workspaces.gitDirectory(repo);
        String head = workspaces.head(repo, "grandpa/bench");
        for (int i = 0; i < runs; i++) {
            // in turns with a checkout by one process (git's default), so both meet the disk in the same state
            Path plain = dir.resolve("serial-" + i);
            serial.add(time(() -> git.run(mirror, "-c", "checkout.workers=1", "worktree", "add", "--quiet", "--detach",
                    plain.toString(), head)));
            workspaces.remove(repo, new Worktree(plain, head));
            Worktree[] made = new Worktree[1];
            String name = "s-" + i;
            checkouts.add(time(() -> made[0] = workspaces.checkout(repo, "grandpa/bench", task, name)));
            removals.add(time(() -> workspaces.remove(repo, made[0])));
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, %s, directory %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), git.run(dir, "--version").strip(), dir);
        System.out.printf(Locale.ROOT, "repository: %d files; first clone into the mirror %d ms, a fetch with nothing new %d ms%n",
                files, clone, fetch);
        System.out.printf(Locale.ROOT, "worktree at the branch's head (%d runs): median %d ms, max %d ms (git's default, one "
                + "process writing: median %d ms, max %d ms); taking it away: median %d ms%n", runs, median(checkouts),
                Collections.max(checkouts), median(serial), Collections.max(serial), median(removals));
    }

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
