package dev.familiar.grandpa.core.attempt;

import dev.familiar.grandpa.core.backends.AgentSandboxSettings;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.delegation.backend.BackendKind;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.workspace.edit.Edit;
import dev.familiar.grandpa.workspace.edit.EditApplier;
import dev.familiar.grandpa.workspace.edit.EditFormat;
import dev.familiar.grandpa.workspace.edit.WorktreeFiles;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import dev.familiar.grandpa.workspace.sandbox.Confined;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An attempt in a repository: a worktree of its own at the head of the task's branch (set up as the
 * repository says), what the coder is told about it, the coder's change made there (edits applied for
 * a coder that answers in text; a command-line agent edits the files itself), and the checks of that
 * change, in the sandbox.
 */
public class AttemptWorktrees {
    private static final int LISTED_FILES = 400;
    private static final int SHOWN_FILES = 12;
    private static final int SHOWN_CHARS = 80_000;

    private final Repositories repositories;
    private final TaskBranches branches;
    private final ChangeChecks checks;
    private final Map<String, AgentSandboxSettings> agents;
    private final Path scratch;

    /**
     * @param agents  what each configured command-line agent may reach from its sandbox, by backend name
     * @param scratch where agents of tasks without a repository get a directory of their own
     */
    public AttemptWorktrees(Repositories repositories, TaskBranches branches, ChangeChecks checks,
                        Map<String, AgentSandboxSettings> agents, Path scratch) {
        this.repositories = repositories;
        this.branches = branches;
        this.checks = checks;
        this.agents = Map.copyOf(agents);
        this.scratch = scratch;
    }

    /** Where a command-line agent works, confined; its scratch directory, if it got one, goes with it. */
    record AgentPlace(Path dir, Confined confined, Path scratch) implements AutoCloseable {
        @Override
        public void close() {
            confined.close();
            if (scratch != null) {
                Workspaces.deleteTree(scratch);
            }
        }
    }

    /**
     * A command-line agent's place: the attempt's worktree, or for a task without a repository a scratch
     * directory of its own (nothing runs in the service's own directory), in the sandbox, always.
     */
    AgentPlace agentPlace(Task task, Subtask subtask, Prepared prepared, String backend) {
        var agent = agents.getOrDefault(backend, AgentSandboxSettings.NONE);
        if (prepared != null) {
            Path dir = prepared.worktree().dir();
            return new AgentPlace(dir, checks.confineAgent(prepared.repo(), dir, agent), null);
        }
        Path dir;
        try {
            dir = Files.createDirectories(scratch.resolve(task.id().toString())
                    .resolve(subtask.key() + "-" + UUID.randomUUID().toString().substring(0, 8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make a scratch directory for the agent", e);
        }
        try {
            return new AgentPlace(dir, checks.confineAgent(null, dir, agent), dir);
        } catch (RuntimeException e) {
            Workspaces.deleteTree(dir);
            throw e;
        }
    }

    /** A set-up worktree for one attempt. */
    record Prepared(Repository repo, Worktree worktree) {}

    /** The change an attempt made, and the checks it went through (all passed, or the first that failed last). */
    record Change(String patch, List<StoredCheck> checks) {
        boolean passed() {
            return checks.stream().allMatch(StoredCheck::passed);
        }
    }

    /** Set up when the repository could not be: an error of the environment, not of any coder. */
    static final class SetupFailed extends RuntimeException {
        SetupFailed(String message) {
            super(message);
        }
    }

    /**
     * A fresh worktree at the branch's head, with the repository's setup run in it.
     *
     * @throws SetupFailed when the setup command fails (its output is stored as a check of the task)
     */
    Prepared prepare(Task task, Subtask subtask, java.util.function.Consumer<StoredCheck> setupFailed) {
        Repository repo = repositories.of(task.repo());
        Worktree worktree = branches.checkout(task, subtask.key() + "-" + UUID.randomUUID().toString().substring(0, 8));
        var setup = checks.setup(task.id(), null, repo, worktree);
        if (setup.isPresent() && !setup.get().passed()) {
            setupFailed.accept(setup.get());
            branches.remove(task, worktree);
            throw new SetupFailed("the setup of repository " + repo.name() + " failed (exit " + setup.get().exitCode()
                    + "): " + tail(setup.get().outputTail(), 500));
        }
        return new Prepared(repo, worktree);
    }

    /** What the coder is told besides its assignment: the files, and how to answer (edits) or work (in place). */
    List<String> context(Task task, Subtask subtask, Prepared prepared, BackendKind kind, String feedback) {
        var parts = new ArrayList<String>();
        Path dir = prepared.worktree().dir();
        List<String> files = branches.files(prepared.worktree());
        parts.add("You are changing the repository " + prepared.repo().name() + ". Its files"
                + (files.size() > LISTED_FILES ? " (the first " + LISTED_FILES + " of " + files.size() + ")" : "") + ":\n"
                + String.join("\n", files.subList(0, Math.min(files.size(), LISTED_FILES))));
        if (kind == BackendKind.CLI) {
            parts.add("Your working directory is a checkout of the repository made for you alone. Change the files there "
                    + "to do your subtask; do not commit. Your changes are taken from the directory when you finish.");
            return parts;
        }
        String mentioned = String.join("\n", task.goal(), subtask.title(), subtask.instructions(),
                String.join("\n", subtask.acceptanceCriteria()), feedback == null ? "" : feedback);
        int shown = 0;
        int chars = 0;
        for (String file : files) {
            if (shown >= SHOWN_FILES || chars >= SHOWN_CHARS) {
                break;
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (mentioned.contains(file) || (name.contains(".") && mentioned.contains(name))) {
                String content = WorktreeFiles.readText(dir, file, SHOWN_CHARS).orElse(null); // never through a link out
                if (content != null && chars + content.length() <= SHOWN_CHARS) {
                    parts.add(file + " as it is now:\n```\n" + content + (content.endsWith("\n") ? "" : "\n") + "```");
                    shown++;
                    chars += content.length();
                }
            }
        }
        parts.add(EditFormat.INSTRUCTIONS);
        return parts;
    }

    /**
     * Makes the coder's answer a change and checks it: edits applied (a coder that answers in text),
     * something changed, then the check the subtask names (else the task's, else the repository's).
     */
    Change change(Task task, Subtask subtask, long attemptId, Prepared prepared, BackendKind kind, String answer) {
        var ran = new ArrayList<StoredCheck>();
        Path dir = prepared.worktree().dir();
        if (kind != BackendKind.CLI) {
            List<Edit> edits = EditFormat.parse(answer);
            var applied = EditApplier.apply(dir, edits);
            ran.add(own(task, attemptId, "edits", applied.applied(), applied.applied()
                    ? "applied to " + String.join(", ", applied.changed())
                    : "Your edits could not be applied: " + String.join("; ", applied.problems()) + "\nAnswer again with "
                            + "edits in the format asked for, each SEARCH part copied exactly from the file as it is now."));
            if (!applied.applied()) {
                return new Change(branches.change(prepared.worktree()), ran);
            }
        }
        String patch = branches.change(prepared.worktree());
        List<String> linksOut = branches.linksOut(prepared.worktree());
        if (!linksOut.isEmpty()) {
            ran.add(own(task, attemptId, "links", false, "The change adds links that lead out of the repository, which are "
                    + "never committed: " + String.join(", ", linksOut) + ". Make the change with files inside the repository."));
            return new Change(patch, ran);
        }
        if (patch.isBlank()) {
            ran.add(own(task, attemptId, "change", false, "No file of the repository was changed. Make the change the "
                    + "subtask asks for in the repository's files."));
            return new Change(patch, ran);
        }
        String check = subtask.checkName() != null ? subtask.checkName()
                : Repositories.acceptanceOf(prepared.repo(), task.acceptanceCommand());
        if (check != null) {
            ran.add(checks.run(task.id(), attemptId, prepared.repo(), prepared.worktree(), check, null));
        }
        return new Change(patch, ran);
    }

    /** The worktree goes once its change passed; one that failed stays for inspection until swept. */
    void done(Task task, Prepared prepared, boolean passed) {
        if (passed) {
            branches.remove(task, prepared.worktree());
        }
    }

    private static StoredCheck own(Task task, long attemptId, String name, boolean passed, String detail) {
        return StoredCheck.of(task.id(), attemptId, name, null, null, null, 0, false, passed, detail);
    }

    static String tail(String text, int max) {
        String t = text == null ? "" : text.strip();
        return t.length() <= max ? t : "…" + t.substring(t.length() - max);
    }
}
