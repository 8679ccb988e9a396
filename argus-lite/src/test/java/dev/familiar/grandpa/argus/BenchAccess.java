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

    /** The search tool's answer: the best definitions, each with its uses (the first question after a change indexes them). */
    public static int answer(Object index, String question, List<String> symbols) {
        var code = (CodeIndex) index;
        code.refresh();
        int uses = 0;
        for (Symbols.Definition d : code.search(question, symbols, 8)) {
            uses += code.references(d.name()).size();
        }
        return uses;
    }

    public static void refresh(Object index) {
        ((CodeIndex) index).refresh();
    }

    public static long definitions(Object index) {
        return ((CodeIndex) index).definitionCount();
    }
}
