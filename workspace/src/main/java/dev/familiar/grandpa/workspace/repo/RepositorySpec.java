package dev.familiar.grandpa.workspace.repo;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A repository grandpa works in, as configured.
 *
 * @param url            a clone URL (https, ssh, file) or a local path
 * @param defaultBranch  where task branches start
 * @param setup          a command that prepares a fresh worktree (install dependencies), or null
 * @param checks         the commands a subtask or a task may name by name (e.g. {@code test: mvn -q test});
 *                       nothing else is ever run
 * @param acceptance     the name of the check a task passes when it names none
 * @param credentialsEnv the environment variable with a token for https clones and pushes, or null
 * @param username       the user name that goes with the token (Gitea: the token's owner)
 * @param network        whether checks may reach the network (off by default)
 * @param writablePaths  paths outside the worktree a check may write (a build cache, say)
 * @param readablePaths  hidden paths a check may read (the home's {@code .m2}, say)
 */
public record RepositorySpec(String name, String url, String defaultBranch, String setup, Map<String, String> checks,
                             String acceptance, String credentialsEnv, String username, boolean network,
                             List<String> writablePaths, List<String> readablePaths) {

    public RepositorySpec {
        Objects.requireNonNull(name, "repository name");
        if (!name.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?")) {
            throw new IllegalArgumentException("a repository name is owner/name or name of letters, digits, '.', '_' or '-', "
                    + "not '" + name + "'");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("repository " + name + " needs a url (a clone URL or a local path)");
        }
        defaultBranch = defaultBranch == null || defaultBranch.isBlank() ? "main" : defaultBranch;
        checks = checks == null ? Map.of() : Map.copyOf(checks);
        if (acceptance != null && !checks.containsKey(acceptance)) {
            throw new IllegalArgumentException("repository " + name + ": acceptance names the check '" + acceptance
                    + "', which is not among its checks " + checks.keySet());
        }
        writablePaths = writablePaths == null ? List.of() : List.copyOf(writablePaths);
        readablePaths = readablePaths == null ? List.of() : List.copyOf(readablePaths);
    }

    /** The directory name this repository gets under grandpa's data: its name with '/' made safe. */
    public String directoryName() {
        return name.replace('/', '_');
    }
}
