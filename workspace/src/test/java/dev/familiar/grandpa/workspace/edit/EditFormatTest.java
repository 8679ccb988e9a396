package dev.familiar.grandpa.workspace.edit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditFormatTest {
    @TempDir
    Path dir;

    @Test
    void searchReplaceBlocksAndWholeFilesAreReadUnderTheirPathsAndProseIsNot() {
        String answer = """
                Here is the change you asked for.

                src/main/java/App.java
                <<<<<<< SEARCH
                    return "old";
                =======
                    return "new";
                >>>>>>> REPLACE

                **`docs/health.md`**
                ```markdown
                # Health
                GET /healthz answers 200.
                ```

                And an example that is not a file:
                ```
                curl localhost:8080/healthz
                ```
                """;
        List<Edit> edits = EditFormat.parse(answer);
        assertThat(edits).containsExactly(
                new Edit.SearchReplace("src/main/java/App.java", "    return \"old\";", "    return \"new\";"),
                new Edit.WholeFile("docs/health.md", "# Health\nGET /healthz answers 200.\n"));
    }

    @Test
    void editsApplyAllOrNothing() throws Exception {
        Files.writeString(dir.resolve("App.java"), "class App {\n    int x = 1;   \n}\n");
        var applied = EditApplier.apply(dir, List.of(
                new Edit.SearchReplace("App.java", "    int x = 1;", "    int x = 2;"), // trailing spaces dropped by the model
                new Edit.SearchReplace("src/New.java", "", "class New {}")));
        assertThat(applied.problems()).isEmpty();
        assertThat(applied.changed()).containsExactly("App.java", "src/New.java");
        assertThat(Files.readString(dir.resolve("App.java"))).contains("int x = 2;");
        assertThat(Files.readString(dir.resolve("src/New.java"))).isEqualTo("class New {}\n");

        var refused = EditApplier.apply(dir, List.of(
                new Edit.SearchReplace("App.java", "    int x = 2;", "    int x = 3;"),
                new Edit.SearchReplace("App.java", "int y", "int z")));
        assertThat(refused.applied()).isFalse();
        assertThat(refused.problems()).singleElement().asString().contains("not in the file", "int y");
        assertThat(Files.readString(dir.resolve("App.java"))).contains("int x = 2;"); // nothing was written
    }

    @Test
    void pathsOutsideTheWorktreeOrIntoGitAreRefused() {
        for (String path : List.of("../escape.txt", "/etc/passwd", ".git/config", "a/../../b")) {
            var outcome = EditApplier.apply(dir, List.of(new Edit.WholeFile(path, "x")));
            assertThat(outcome.problems()).as(path).singleElement().asString().contains("not a file inside the repository");
        }
        assertThat(EditApplier.apply(dir, List.of()).problems()).singleElement().asString().contains("no edits");
    }

    @Test
    void aSearchFoundTwiceOrAFileThatIsNotThereSaysWhatToDo() throws Exception {
        Files.writeString(dir.resolve("twice.txt"), "a\na\n");
        assertThat(EditApplier.apply(dir, List.of(new Edit.SearchReplace("twice.txt", "a", "b"))).problems())
                .singleElement().asString().contains("more than once");
        assertThat(EditApplier.apply(dir, List.of(new Edit.SearchReplace("missing.txt", "a", "b"))).problems())
                .singleElement().asString().contains("no such file", "leave SEARCH empty");
    }
}
