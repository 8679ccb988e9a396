package dev.familiar.grandpa.core.testing;

import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real git repository for tests of tasks in a repository: {@code notes.git}, bare, with one commit (a
 * README), and a stand-in coder's answer for it: each subtask adds a Markdown file named after its title.
 */
public final class NotesRepository {
    private static final Pattern SUBTASK = Pattern.compile("Your subtask: (.+)");

    private NotesRepository() {
    }

    /** Makes {@code root/notes.git}; answers its path. */
    public static Path create(Path root) throws Exception {
        var git = new Git(Duration.ofSeconds(30));
        Path bare = root.resolve("notes.git");
        git.run(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        Path seed = root.resolve("seed");
        git.run(root, "clone", "--quiet", bare.toString(), seed.toString());
        Files.writeString(seed.resolve("README.md"), "# notes\n");
        git.run(seed, "add", ".");
        git.run(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "seed");
        git.run(seed, "push", "--quiet", "origin", "main");
        return bare;
    }

    /** A coder that adds a file named after its subtask's title, as a SEARCH/REPLACE edit. */
    public static Responder fileWritingCoder() {
        return call -> fileFor(call.last("user"));
    }

    /** The edit that adds the subtask's file. */
    public static Reply fileFor(String prompt) {
        Matcher m = SUBTASK.matcher(prompt);
        String title = m.find() ? m.group(1).strip() : "subtask";
        String file = title.toLowerCase().replaceAll("[^a-z]+", "-").replaceAll("^-|-$", "") + ".md";
        return Reply.text(file + "\n<<<<<<< SEARCH\n=======\n# " + title + "\n>>>>>>> REPLACE\n");
    }
}
