package dev.familiar.grandpa.core.repository;

import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import dev.familiar.grandpa.workspace.repo.Committed;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.repo.Worktree;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks' branches: made from the default branch's head when a task starts, given each accepted change
 * as a commit naming its subtask and backend, and made again from what is stored when the mirror has
 * lost them (its disk was replaced, say).
 */
public class TaskBranches {
    private static final Logger log = LoggerFactory.getLogger(TaskBranches.class);

    private final Repositories repositories;
    private final Workspaces workspaces;
    private final WorkspaceRepository stored;
    private final PlanRepository plans;
    private final AttemptRepository attempts;
    private final BranchLedger ledger;

    public TaskBranches(Repositories repositories, Workspaces workspaces, WorkspaceRepository stored, PlanRepository plans,
                        AttemptRepository attempts, BranchLedger ledger) {
        this.repositories = repositories;
        this.workspaces = workspaces;
        this.stored = stored;
        this.plans = plans;
        this.attempts = attempts;
        this.ledger = ledger;
    }

    /**
     * The task's branch, made on first use from the default branch as just fetched ({@code
     * grandpa/<short id>-<slug>}, its base recorded); later it is the stored one, there in the mirror.
     */
    public TaskWorkspace open(Task task) {
        Repository repo = repositories.of(task.repo());
        Optional<TaskWorkspace> known = stored.find(task.id());
        if (known.isPresent()) {
            return present(task, repo, known.get());
        }
        workspaces.fetch(repo.spec());
        String branch = branchName(task);
        String base = workspaces.startBranch(repo.spec(), branch);
        return ledger.openWorkspace(task.id(), repo.name(), branch, base);
    }

    public Optional<TaskWorkspace> find(UUID taskId) {
        return stored.find(taskId);
    }

    /** A worktree of its own for one attempt (or a check of the branch), at the branch's head. */
    public Worktree checkout(Task task, String name) {
        Repository repo = repositories.of(task.repo());
        TaskWorkspace ws = present(task, repo, stored.find(task.id()).orElseGet(() -> open(task)));
        return workspaces.checkout(repo.spec(), ws.branch(), task.id(), name);
    }

    /** The change the worktree holds, new files included, as a patch on the commit it started from. */
    public String change(Worktree worktree) {
        return workspaces.diff(worktree);
    }

    /** The links the worktree's change adds that lead out of the repository (never committed). */
    public List<String> linksOut(Worktree worktree) {
        return workspaces.linksOut(worktree);
    }

    /** The repository's files in the worktree (not what its setup installed). */
    public List<String> files(Worktree worktree) {
        return workspaces.files(worktree);
    }

    public void remove(Task task, Worktree worktree) {
        workspaces.remove(repositories.of(task.repo()).spec(), worktree);
    }

    /**
     * Puts an accepted attempt's change on the branch as a commit; once only, however often it is asked
     * (a commit made before a crash is found by its trailer).
     */
    public Committed commit(Task task, Subtask subtask, Attempt attempt) {
        Repository repo = repositories.of(task.repo());
        TaskWorkspace ws = present(task, repo, stored.find(task.id()).orElseThrow());
        return commit(task, repo, ws, subtask, attempt);
    }

    private Committed commit(Task task, Repository repo, TaskWorkspace ws, Subtask subtask, Attempt attempt) {
        Optional<String> made = workspaces.findCommit(repo.spec(), ws.baseCommit(), ws.branch(), trailer(attempt));
        if (made.isPresent()) {
            return new Committed.Applied(made.get(), true);
        }
        return workspaces.commit(repo.spec(), ws.branch(), task.id(), attempt.patch() == null ? "" : attempt.patch(),
                message(task, subtask, attempt));
    }

    /** The unified diff of the task's branch since its base (the branch made again first if the mirror lost it). */
    public String diff(Task task) {
        Repository repo = repositories.of(task.repo());
        TaskWorkspace ws = present(task, repo, stored.find(task.id()).orElseThrow());
        return workspaces.branchDiff(repo.spec(), ws.baseCommit(), ws.branch());
    }

    public String diffstat(TaskWorkspace ws) {
        return workspaces.branchDiffstat(repositories.of(ws.repository()).spec(), ws.baseCommit(), ws.branch());
    }

    /** Pushes the branch to the repository's remote. */
    public void push(TaskWorkspace ws) {
        workspaces.push(repositories.of(ws.repository()).spec(), ws.branch());
    }

    /** The task is done: its branch worktree goes (the branch stays; worktrees kept after failures go when swept). */
    public void cleanUp(Task task) {
        workspaces.finish(repositories.of(task.repo()).spec(), task.id());
    }

    /** The stored branch, made again in the mirror from the stored changes if the mirror has lost it. */
    private TaskWorkspace present(Task task, Repository repo, TaskWorkspace ws) {
        if (workspaces.hasBranch(repo.spec(), ws.branch())) {
            return ws;
        }
        log.warn("Task {}: branch {} is not in the mirror of {}; making it again from the stored changes", task.id(),
                ws.branch(), repo.name());
        workspaces.fetch(repo.spec());
        workspaces.restoreBranch(repo.spec(), ws.branch(), ws.baseCommit());
        Map<Long, Attempt> byId = new HashMap<>();
        attempts.ofTask(task.id()).forEach(a -> byId.put(a.id(), a));
        Map<java.util.UUID, Subtask> subtasks = new HashMap<>();
        plans.subtasks(task.id()).forEach(s -> subtasks.put(s.id(), s));
        int changes = 0;
        String head = ws.baseCommit();
        // accepted changes in the order they were judged, which is the order they were committed in
        for (Evaluation e : attempts.evaluationsOfTask(task.id())) {
            Subtask subtask = subtasks.get(e.subtaskId());
            if (e.verdict() != Verdict.PASS || subtask == null || subtask.status() != SubtaskStatus.ACCEPTED
                    || subtask.commit() == null) {
                continue;
            }
            switch (commit(task, repo, ws, subtask, byId.get(e.attemptId()))) {
                case Committed.Applied applied -> head = applied.head();
                case Committed.Conflict conflict -> throw new IllegalStateException("branch " + ws.branch()
                        + " cannot be made again: the change of subtask " + subtask.key() + " no longer applies: "
                        + conflict.detail());
            }
            changes++;
        }
        ledger.rebuilt(task.id(), ws.branch(), head, changes);
        return stored.find(task.id()).orElseThrow();
    }

    static String trailer(Attempt attempt) {
        return "Grandpa-Attempt: " + attempt.id();
    }

    /** The subtask's title, what it was part of, and trailers naming the task, subtask, attempt and backend. */
    static String message(Task task, Subtask subtask, Attempt attempt) {
        return subtask.title() + "\n\nSubtask " + subtask.key() + " of \"" + task.title() + "\", written by "
                + attempt.backend() + " and accepted by grandpa.\n\n"
                + "Grandpa-Task: " + task.id() + "\n"
                + "Grandpa-Subtask: " + subtask.key() + "\n"
                + "Grandpa-Backend: " + attempt.backend() + "\n"
                + trailer(attempt) + "\n";
    }

    /** {@code grandpa/<first 8 of the id>-<the title in lower case, words joined by '-', at most 40 characters>}. */
    static String branchName(Task task) {
        String ascii = Normalizer.normalize(task.title(), Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        String id = task.id().toString().substring(0, 8);
        return "grandpa/" + (slug.isEmpty() ? id : id + "-" + slug);
    }
}
