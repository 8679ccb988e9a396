package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.store.eval.EvalRun;
import dev.familiar.grandpa.store.eval.EvalStore;
import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.repo.RepositorySpec;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repositories of a run's cases: each case's files (its {@code repo/} folder, or a git repository's or
 * bundle's files at the case's commit) committed once, as one commit with no history, into a bare repository
 * of the run's own, and known to the service as {@code eval-<run>-<case>} (the run's id shortened to 8)
 * with the case's checks, from the suite's folder, while the run is stored. Nothing of the source's other
 * commits comes along (a later commit may hold the solution), and the held-out files are never committed.
 */
final class CaseRepositories implements Repositories.Source {
    private static final Pattern NAME = Pattern.compile("eval-([0-9a-f]{8})-([a-z0-9][a-z0-9-]*)");
    /** The same commit for the same files, whichever run makes it. */
    private static final Map<String, String> FIXED_DATE = Map.of("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");

    private final EvalStore store;
    private final SuiteFolders folders;
    private final Path dir;
    private final Git git;

    CaseRepositories(EvalStore store, SuiteFolders folders, Path dir, Git git) {
        this.store = store;
        this.folders = folders;
        this.dir = dir.toAbsolutePath().normalize();
        this.git = git;
    }

    static String name(UUID run, String caseId) {
        return "eval-" + run.toString().substring(0, 8) + "-" + caseId;
    }

    @Override
    public Optional<Repository> find(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<EvalRun> runs = store.withIdPrefix(m.group(1), 2);
        if (runs.size() != 1 || !folders.configured(Path.of(runs.getFirst().suiteFolder()))) {
            return Optional.empty(); // no such run, two of them, or a folder the configuration no longer names
        }
        EvalRun run = runs.getFirst();
        return Suite.load(Path.of(run.suiteFolder())).cases().stream().filter(c -> c.id().equals(m.group(2))).findFirst()
                .map(c -> repository(run.id(), c));
    }

    Repository repository(UUID run, Suite.Case c) {
        return new Repository(new RepositorySpec(name(run, c.id()), bare(run, c.id()).toString(), "main", null, c.checks(),
                c.acceptance(), null, null, false, List.of(), List.of()), false, null);
    }

    /** Makes the case's repository of this run unless it is there (made whole or not at all). */
    void make(UUID run, Suite.Case c) {
        Path bare = bare(run, c.id());
        if (Files.isDirectory(bare)) {
            return;
        }
        Path made = bare.resolveSibling(bare.getFileName() + ".making-" + UUID.randomUUID());
        Path source = made.resolveSibling(made.getFileName() + ".source");
        try {
            Files.createDirectories(bare.getParent());
            git.run(bare.getParent(), "init", "--quiet", "--bare", "--initial-branch=main", made.toString());
            Path files = c.fromGit() ? checkout(c, source) : c.repository().toAbsolutePath();
            String work = "--work-tree=" + files;
            git.run(made, "--git-dir=" + made, work, "add", "--all");
            git.run(made, FIXED_DATE, "--git-dir=" + made, work, "commit", "--quiet", "-m", "The case " + c.id() + " as given");
            Files.move(made, bare, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            Workspaces.deleteTree(made); // made at the same time elsewhere: that one stands
        } catch (IOException e) {
            Workspaces.deleteTree(made);
            throw new UncheckedIOException(e);
        } finally {
            Workspaces.deleteTree(source);
        }
    }

    /** The files of a git repository or bundle at the case's commit, in a folder of their own under {@code into}. */
    private Path checkout(Suite.Case c, Path into) throws IOException {
        Path clone = into.resolve("clone.git");
        Path files = Files.createDirectories(into.resolve("files"));
        git.run(into, "clone", "--quiet", "--bare", c.repository().toAbsolutePath().toString(), clone.toString());
        git.run(into, "--git-dir=" + clone, "--work-tree=" + files, "checkout", "--quiet", "--force",
                c.commit() + "^{commit}", "--", ".");
        return files;
    }

    private Path bare(UUID run, String caseId) {
        return dir.resolve(run.toString()).resolve(caseId + ".git");
    }
}
