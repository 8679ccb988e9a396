package dev.familiar.grandpa.workspace.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.git.GitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git repositories on disk: an upstream with a clone of its own, and grandpa's workspaces. */
class WorkspacesIT {
    @TempDir
    Path tmp;

    private final Git git = new Git(Duration.ofSeconds(30));
    private Path upstream;
    private Path developer;
    private Workspaces workspaces;
    private RepositorySpec repo;

    @BeforeEach
    void upstreamWithOneCommit() throws Exception {
        upstream = tmp.resolve("upstream.git");
        git.run(tmp, "init", "--quiet", "--bare", "--initial-branch=main", upstream.toString());
        developer = tmp.resolve("developer");
        git.run(tmp, "clone", "--quiet", upstream.toString(), developer.toString());
        Files.writeString(developer.resolve("App.java"), "class App {\n    int x = 1;\n    int y = 1;\n}\n");
        git.run(developer, "add", "App.java");
        git.run(developer, "commit", "--quiet", "-m", "first");
        git.run(developer, "push", "--quiet", "origin", "HEAD:main");
        workspaces = new Workspaces(tmp.resolve("data/workspaces"), git);
        repo = new RepositorySpec("home/app", upstream.toString(), "main", null, Map.of("test", "true"), "test", null, null,
                false, null, null);
    }

    @Test
    void attemptsWorkInWorktreesOfTheirOwnAndAcceptedChangesBecomeCommitsOnTheTaskBranch() throws Exception {
        workspaces.fetch(repo);
        String base = workspaces.startBranch(repo, "grandpa/task-1");
        assertThat(base).isEqualTo(git.run(developer, "rev-parse", "HEAD").strip());
        UUID task = UUID.randomUUID();

        Worktree first = workspaces.checkout(repo, "grandpa/task-1", task, "1-a");
        Worktree second = workspaces.checkout(repo, "grandpa/task-1", task, "2-a");
        Files.writeString(first.dir().resolve("App.java"), "class App {\n    int x = 2;\n    int y = 1;\n}\n");
        Files.writeString(first.dir().resolve("README.md"), "# App\n");
        assertThat(Files.readString(second.dir().resolve("App.java"))).contains("int x = 1;"); // isolated
        assertThat(second.dir().resolve("README.md")).doesNotExist();

        String patch = workspaces.diff(first);
        assertThat(patch).contains("+    int x = 2;", "+# App");
        assertThat(workspaces.diffstat(first)).contains("App.java", "README.md", "2 files changed");
        var applied = (Committed.Applied) workspaces.commit(repo, "grandpa/task-1", task, patch, "subtask 1: raise x");
        assertThat(applied.changed()).isTrue();
        assertThat(workspaces.head(repo, "grandpa/task-1")).isEqualTo(applied.head());

        // an attempt that started before the first was committed, touching other lines, still goes on
        Files.writeString(second.dir().resolve("App.java"), "class App {\n    int x = 1;\n    int y = 1;\n}\n// end\n");
        var alsoApplied = workspaces.commit(repo, "grandpa/task-1", task, workspaces.diff(second), "subtask 2: mark the end");
        assertThat(alsoApplied).isInstanceOf(Committed.Applied.class);
        String diff = workspaces.branchDiff(repo, base, "grandpa/task-1");
        assertThat(diff).contains("+    int x = 2;", "+// end", "+# App");
        assertThat(git.run(workspaces.gitDirectory(repo), "log", "--format=%s", "refs/heads/grandpa/task-1"))
                .isEqualTo("subtask 2: mark the end\nsubtask 1: raise x\nfirst\n");
        assertThat(git.run(developer, "ls-remote", "origin")).doesNotContain("grandpa/task-1"); // nothing pushed yet
    }

    @Test
    void aChangeToLinesAnotherAcceptedChangeTouchedIsAConflictAndTheBranchStaysAsItWas() throws Exception {
        workspaces.fetch(repo);
        workspaces.startBranch(repo, "grandpa/t");
        UUID task = UUID.randomUUID();
        Worktree a = workspaces.checkout(repo, "grandpa/t", task, "1-a");
        Worktree b = workspaces.checkout(repo, "grandpa/t", task, "2-a");
        Files.writeString(a.dir().resolve("App.java"), "class App {\n    int x = 2;\n    int y = 1;\n}\n");
        Files.writeString(b.dir().resolve("App.java"), "class App {\n    int x = 3;\n    int y = 1;\n}\n");
        var first = (Committed.Applied) workspaces.commit(repo, "grandpa/t", task, workspaces.diff(a), "a");

        var second = workspaces.commit(repo, "grandpa/t", task, workspaces.diff(b), "b");
        assertThat(second).isInstanceOf(Committed.Conflict.class);
        assertThat(((Committed.Conflict) second).detail()).containsIgnoringCase("App.java");
        assertThat(workspaces.head(repo, "grandpa/t")).isEqualTo(first.head());

        // a retry starts from the branch as it is now, and goes on
        Worktree retry = workspaces.checkout(repo, "grandpa/t", task, "2-b");
        assertThat(Files.readString(retry.dir().resolve("App.java"))).contains("int x = 2;");
        Files.writeString(retry.dir().resolve("App.java"), "class App {\n    int x = 3;\n    int y = 1;\n}\n");
        assertThat(workspaces.commit(repo, "grandpa/t", task, workspaces.diff(retry), "b again"))
                .isInstanceOf(Committed.Applied.class);
    }

    @Test
    void newUpstreamCommitsArriveOnFetchAndABranchIsPushedToTheRemoteAndWorktreesGoWhenOld() throws Exception {
        workspaces.fetch(repo);
        Files.writeString(developer.resolve("NEWS"), "later\n");
        git.run(developer, "add", "NEWS");
        git.run(developer, "commit", "--quiet", "-m", "later");
        git.run(developer, "push", "--quiet", "origin", "HEAD:main");

        workspaces.fetch(repo);
        String base = workspaces.startBranch(repo, "grandpa/later");
        assertThat(base).isEqualTo(git.run(developer, "rev-parse", "HEAD").strip());
        UUID task = UUID.randomUUID();
        Worktree w = workspaces.checkout(repo, "grandpa/later", task, "1-a");
        assertThat(w.dir().resolve("NEWS")).exists();
        Files.writeString(w.dir().resolve("NEWS"), "later\nand more\n");
        var applied = (Committed.Applied) workspaces.commit(repo, "grandpa/later", task, workspaces.diff(w), "more news");

        workspaces.push(repo, "grandpa/later");
        assertThat(git.run(developer, "ls-remote", "origin", "refs/heads/grandpa/later")).startsWith(applied.head());

        workspaces.finish(repo, task);
        assertThat(tmp.resolve("data/workspaces/branches/" + task)).doesNotExist();
        assertThat(workspaces.head(repo, "grandpa/later")).isEqualTo(applied.head()); // the branch stays

        // the attempt's worktree stays for a look until it is old enough to be swept
        assertThat(workspaces.sweep(Duration.ofHours(1))).isZero();
        assertThat(w.dir()).exists();
        Files.setLastModifiedTime(w.dir(), java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        assertThat(workspaces.sweep(Duration.ofHours(1))).isEqualTo(1);
        assertThat(w.dir()).doesNotExist();
        assertThat(git.run(workspaces.gitDirectory(repo), "worktree", "list")).doesNotContain(task.toString());
    }

    @Test
    void aRepositoryWhoseTokenIsMissingSaysWhichVariableToSet() {
        var withToken = new RepositorySpec("gitea/app", "https://127.0.0.1:1/app.git", "main", null, Map.of(), null,
                "GRANDPA_GIT_TOKEN_THAT_IS_NOT_SET", null, false, null, null);
        assertThatThrownBy(() -> workspaces.fetch(withToken)).isInstanceOf(GitException.class)
                .hasMessageContaining("GRANDPA_GIT_TOKEN_THAT_IS_NOT_SET");
    }

    @Test
    void aRepositoryThatCannotBeClonedSaysWhy() {
        var missing = new RepositorySpec("nowhere", tmp.resolve("nowhere.git").toString(), "main", null, Map.of(), null, null,
                null, false, null, null);
        assertThatThrownBy(() -> workspaces.fetch(missing)).isInstanceOf(GitException.class)
                .hasMessageContaining("clone").hasMessageContaining("nowhere.git");
    }
}
