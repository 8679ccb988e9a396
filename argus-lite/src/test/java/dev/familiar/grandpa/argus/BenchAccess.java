package dev.familiar.grandpa.argus;

import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The benchmark's way in to the package's index (test code only). */
public final class BenchAccess {
    private BenchAccess() {}

    public static Object index(Path repo) {
        return ArgusLite.index(new Git(Duration.ofMinutes(10)), "bench=" + repo);
    }

    public static int search(Object index, String question, List<String> symbols) {
        return ((CodeIndex) index).search(question, symbols, 8).size();
    }

    public static void refresh(Object index) {
        ((CodeIndex) index).refresh();
    }

    public static long definitions(Object index) {
        return ((CodeIndex) index).definitionCount();
    }
}
