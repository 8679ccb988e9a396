package dev.familiar.grandpa.core.repository;

import dev.familiar.grandpa.workspace.repo.RepositorySpec;
import java.util.List;
import java.util.Map;

/**
 * A repository grandpa may work in ({@code grandpa.repositories[i]}); a task names it in {@code repo}.
 *
 * @param url            a clone URL (https, ssh, file) or a local path
 * @param defaultBranch  where task branches start (main)
 * @param setup          a command that prepares a fresh worktree (install dependencies), or none
 * @param checks         the commands that prove a change, by name ({@code test: mvn -q test}); a plan's
 *                       subtask and a task name them, and nothing else is ever run
 * @param acceptance     the check a task passes on its whole change unless it names another
 * @param credentialsEnv the environment variable holding a token for https fetches, pushes and the
 *                       pull request (read when used; never stored, logged or sent elsewhere)
 * @param username       who the token belongs to (Gitea: its owner); "grandpa" when left out
 * @param network        whether setup and checks may reach the network (off)
 * @param writablePaths  paths outside the worktree checks may write (a shared build cache)
 * @param readablePaths  paths checks may read although the sandbox hides them (the home's {@code .m2})
 * @param push           push the task's branch to the remote when the task is done
 * @param pullRequest    open a pull request for the pushed branch through Gitea's API, or null for none
 */
public record RepositorySettings(String name, String url, String defaultBranch, String setup, Map<String, String> checks,
                                 String acceptance, String credentialsEnv, String username, boolean network,
                                 List<String> writablePaths, List<String> readablePaths, boolean push,
                                 PullRequestSettings pullRequest) {

    /**
     * Where pull requests are opened: Gitea's API ({@code POST /api/v1/repos/{owner}/{repo}/pulls}).
     *
     * @param apiUrl the Gitea server, e.g. {@code https://gitea.home} (its {@code /api/v1} is added)
     */
    public record PullRequestSettings(String apiUrl, String owner, String repo) {}

    /** @throws IllegalArgumentException saying what is wrong with it */
    public Repository toRepository() {
        var spec = new RepositorySpec(name, url, defaultBranch, setup, checks, acceptance, credentialsEnv, username, network,
                writablePaths, readablePaths);
        if (pullRequest != null) {
            if (!push) {
                throw new IllegalArgumentException("repository " + name + ": a pull request needs push: true");
            }
            if (pullRequest.apiUrl() == null || !pullRequest.apiUrl().matches("https?://.+") || pullRequest.owner() == null
                    || pullRequest.repo() == null) {
                throw new IllegalArgumentException("repository " + name + ": pull-request needs api-url (http(s)://...), "
                        + "owner and repo");
            }
        }
        return new Repository(spec, push, pullRequest);
    }
}
