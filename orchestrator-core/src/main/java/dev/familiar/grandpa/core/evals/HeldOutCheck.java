package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.workspace.edit.WorktreeFiles;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import dev.familiar.grandpa.workspace.sandbox.CheckResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Whether a case was solved: a fresh checkout of the task's branch head, the case's held-out tests put
 * into it (each file inside the worktree, never through a link the coders committed), and the held-out
 * command run there in the sandbox like any check. The coders and the judge never saw these files.
 */
final class HeldOutCheck {
    record Outcome(boolean passed, String output) {}

    private final Workspaces workspaces;
    private final ChangeChecks checks;

    HeldOutCheck(Workspaces workspaces, ChangeChecks checks) {
        this.workspaces = workspaces;
        this.checks = checks;
    }

    Outcome run(Repository repo, String branch, UUID task, Suite.Case c) {
        Worktree worktree = workspaces.checkout(repo.spec(), branch, task, "held-out");
        try {
            for (Path file : files(c.heldOutFiles())) {
                String relative = c.heldOutFiles().relativize(file).toString();
                Path target;
                try {
                    target = WorktreeFiles.resolve(worktree.dir(), relative);
                } catch (IllegalArgumentException e) {
                    return new Outcome(false, "the held-out file " + relative + " could not be put into the branch: "
                            + e.getMessage());
                }
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
            CheckResult result = checks.runNamedElsewhere(repo, worktree, c.heldOut());
            return new Outcome(result.passed(), result.outputTail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            workspaces.remove(repo.spec(), worktree);
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
