package dev.familiar.grandpa.core.integration;

import dev.familiar.grandpa.core.evaluation.Evaluator;
import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.PullRequests;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.Repository;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.resident.Prompts;
import dev.familiar.grandpa.runtime.session.CutOffException;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a task's accepted work together without having it written again. In a repository the accepted
 * changes are already commits on the task's branch: the acceptance check runs on its head, then the
 * branch is pushed and a pull request opened where the repository says so. Without one, the accepted
 * outputs are put together in plan order. Either way grandpa's model writes only a short summary.
 */
public class Integrator {
    private static final int SUMMARY_INPUT = 2_000;

    private final GrandpaModel grandpa;
    private final Repositories repositories;
    private final TaskBranches branches;
    private final ChangeChecks checks;
    private final CheckRepository storedChecks;
    private final PullRequests pullRequests;
    private final BranchLedger ledger;

    public Integrator(GrandpaModel grandpa, Repositories repositories, TaskBranches branches, ChangeChecks checks,
                      CheckRepository storedChecks, PullRequests pullRequests, BranchLedger ledger) {
        this.grandpa = grandpa;
        this.repositories = repositories;
        this.branches = branches;
        this.checks = checks;
        this.storedChecks = storedChecks;
        this.pullRequests = pullRequests;
        this.ledger = ledger;
    }

    /**
     * The task's whole change, checked: for a repository task its branch with the acceptance check run
     * on its head (once per head; a failed one is stored, and the next step re-plans); empty when it
     * failed.
     */
    public Optional<Checked> check(Task task) {
        if (task.repo() == null) {
            return Optional.of(new Checked(null, List.of()));
        }
        Repository repo = repositories.of(task.repo());
        TaskWorkspace ws = branches.open(task);
        String acceptance = Repositories.acceptanceOf(repo, task.acceptanceCommand());
        if (acceptance == null) {
            return Optional.of(new Checked(ws, List.of()));
        }
        List<StoredCheck> onHead = storedChecks.ofTask(task.id()).stream()
                .filter(c -> c.attemptId() == null && ws.headCommit().equals(c.commit())).toList();
        if (!onHead.isEmpty()) {
            StoredCheck last = onHead.getLast();
            return last.passed() ? Optional.of(new Checked(ws, List.of(last))) : Optional.empty();
        }
        var worktree = branches.checkout(task, "accept-" + ws.headCommit().substring(0, 12));
        try {
            var ran = new ArrayList<StoredCheck>();
            var setup = checks.setup(task.id(), null, repo, worktree);
            setup.ifPresent(s -> ran.add(withCommit(s, ws.headCommit())));
            if (setup.isEmpty() || setup.get().passed()) {
                ran.add(checks.run(task.id(), null, repo, worktree, acceptance, ws.headCommit()));
            }
            ran.forEach(ledger::branchChecked);
            return ran.getLast().passed() ? Optional.of(new Checked(ws, List.of(ran.getLast()))) : Optional.empty();
        } finally {
            branches.remove(task, worktree);
        }
    }

    /** A task's whole change that passed its acceptance check ({@code workspace} null without a repository). */
    public record Checked(TaskWorkspace workspace, List<StoredCheck> checks) {}

    /** grandpa's short summary of the work, under its token limit (a summary cut off there is used as far as it got). */
    public String summary(Task task, List<Subtask> accepted, Checked checked) {
        var p = new StringBuilder("Goal:\n").append(task.goal()).append("\n\nAccepted subtasks:\n");
        for (Subtask s : accepted) {
            p.append("\n## ").append(s.key()).append(": ").append(s.title()).append('\n').append(abbreviate(s.output()))
                    .append('\n');
        }
        if (checked.workspace() != null) {
            p.append("\nThe changes are on branch ").append(checked.workspace().branch()).append(":\n")
                    .append(branches.diffstat(checked.workspace()));
            checked.checks().forEach(c -> p.append("Check ").append(c.name()).append(": passed\n"));
        }
        try {
            return grandpa.ask(task.id(), Purpose.INTEGRATE, Prompts.INTEGRATE + p, null).strip();
        } catch (CutOffException e) {
            // a model that reasons first may spend the whole limit on its reasoning: then the list of what was done
            return e.partial().isBlank() ? plainSummary(accepted) : e.partial().strip() + " …";
        }
    }

    private static String plainSummary(List<Subtask> accepted) {
        return accepted.size() + " subtask(s) done: " + String.join("; ", accepted.stream().map(Subtask::title).toList()) + ".";
    }

    /**
     * The task's result: the summary with the accepted outputs in plan order, or, in a repository, with
     * the branch, its change, its checks and where it was pushed (pushed and the pull request opened here).
     */
    public String deliver(Task task, List<Subtask> accepted, Checked checked, String summary) {
        if (checked.workspace() == null) {
            var result = new StringBuilder(summary).append("\n");
            for (Subtask s : accepted) {
                result.append("\n## ").append(s.key()).append(": ").append(s.title()).append("\n\n").append(s.output())
                        .append('\n');
            }
            return result.toString();
        }
        Repository repo = repositories.of(task.repo());
        TaskWorkspace ws = checked.workspace();
        String diffstat = branches.diffstat(ws);
        var result = new StringBuilder(summary).append("\n\nBranch ").append(ws.branch()).append(" of ").append(repo.name())
                .append(": ").append(ws.baseCommit(), 0, 12).append("..").append(ws.headCommit(), 0, 12).append('\n')
                .append(diffstat);
        for (StoredCheck c : checked.checks()) {
            result.append("Check ").append(c.name()).append(" (").append(c.command()).append(") passed in ")
                    .append(c.durationMs()).append(" ms\n");
        }
        if (repo.push()) {
            branches.push(ws);
            String url = null;
            if (repo.pullRequest() != null) {
                url = pullRequests.open(repo, new PullRequests.Request(task.title(), pullRequestBody(task, summary, diffstat,
                        checked.checks(), accepted), ws.branch(), repo.spec().defaultBranch()));
            }
            ledger.pushed(task.id(), ws.branch(), ws.headCommit(), url);
            result.append("Pushed to the remote").append(url == null ? "" : "; pull request: " + url).append('\n');
        }
        branches.cleanUp(task);
        return result.toString();
    }

    private static String pullRequestBody(Task task, String summary, String diffstat, List<StoredCheck> checks,
                                          List<Subtask> accepted) {
        var body = new StringBuilder(summary).append("\n\n### Subtasks\n");
        accepted.forEach(s -> body.append("- ").append(s.key()).append(": ").append(s.title()).append('\n'));
        if (!checks.isEmpty()) {
            body.append("\n### Checks\n");
            checks.forEach(c -> body.append("- `").append(c.command()).append("`: passed\n"));
        }
        body.append("\n```\n").append(diffstat).append("```\n\nOpened by grandpa for task ").append(task.id()).append('\n');
        return body.toString();
    }

    private static String abbreviate(String output) {
        String o = output == null ? "" : output.strip();
        return o.length() <= SUMMARY_INPUT ? o : o.substring(0, SUMMARY_INPUT) + " […]";
    }

    private static StoredCheck withCommit(StoredCheck c, String commit) {
        return StoredCheck.of(c.taskId(), c.attemptId(), c.name(), c.command(), commit, c.exitCode(), c.durationMs(),
                c.timedOut(), c.passed(), c.outputTail());
    }

    /** The feedback of a failed acceptance check, for the re-plan it leads to. */
    public static String failure(StoredCheck check) {
        return Evaluator.byChecks(List.of(check)).feedback();
    }
}
