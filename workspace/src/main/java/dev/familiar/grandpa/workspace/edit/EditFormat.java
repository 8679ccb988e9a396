package dev.familiar.grandpa.workspace.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How coders that answer in text say what to change, in the formats aider found local models manage
 * best: SEARCH/REPLACE blocks under the file's path, and whole files in a fenced block under their
 * path. {@link #INSTRUCTIONS} tells the coder; {@link #parse} reads the answer.
 */
public final class EditFormat {
    private static final String SEARCH = "<<<<<<< SEARCH";
    private static final String DIVIDER = "=======";
    private static final String REPLACE = ">>>>>>> REPLACE";
    private static final Pattern PATH = Pattern.compile("[\\w./@+-]+\\.[\\w]+|[\\w./@+-]*/[\\w.@+-]+|Makefile|Dockerfile");

    /** What the coder is told about answering with edits. */
    public static final String INSTRUCTIONS = """
            Answer with edits to the repository's files. For each change, write the file's path from the
            repository's root on a line of its own, then a SEARCH/REPLACE block:

            path/to/File.java
            <<<<<<< SEARCH
            the exact lines of the file to change, copied character for character
            =======
            the lines that replace them
            >>>>>>> REPLACE

            Keep each SEARCH part short but unique in the file. To create a file, leave SEARCH empty. To
            replace a whole file, write its path and then its full content in a fenced code block instead.
            Explain nothing outside the edits.""";

    private EditFormat() {}

    /** The edits in a coder's answer, in order; empty when it has none. */
    public static List<Edit> parse(String answer) {
        List<String> lines = answer.lines().toList();
        var edits = new ArrayList<Edit>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().equals(SEARCH)) {
                int divider = find(lines, i + 1, DIVIDER);
                int end = divider < 0 ? -1 : find(lines, divider + 1, REPLACE);
                String path = pathBefore(lines, i);
                if (end < 0 || path == null) {
                    continue; // an unfinished block, or one without a path: not an edit
                }
                edits.add(new Edit.SearchReplace(path, join(lines, i + 1, divider), join(lines, divider + 1, end)));
                i = end;
            } else if (line.startsWith("```") && !blockHasSearch(lines, i)) {
                int close = findFence(lines, i + 1);
                String path = pathBefore(lines, i);
                if (close > 0 && path != null) {
                    edits.add(new Edit.WholeFile(path, join(lines, i + 1, close) + "\n"));
                    i = close;
                }
            }
        }
        return edits;
    }

    private static boolean blockHasSearch(List<String> lines, int fence) {
        int close = findFence(lines, fence + 1);
        for (int k = fence + 1; k < (close < 0 ? lines.size() : close); k++) {
            if (lines.get(k).strip().equals(SEARCH)) {
                return true;
            }
        }
        return false;
    }

    /** The path on the nearest non-blank line above, fences and markdown marks taken off; null when none. */
    private static String pathBefore(List<String> lines, int index) {
        for (int k = index - 1; k >= 0; k--) {
            String candidate = lines.get(k).strip();
            if (candidate.isEmpty() || candidate.startsWith("```")) {
                continue;
            }
            candidate = candidate.replaceAll("^[#*`>\\s]+|[*`:\\s]+$", "");
            return PATH.matcher(candidate).matches() ? candidate : null;
        }
        return null;
    }

    private static int find(List<String> lines, int from, String marker) {
        for (int k = from; k < lines.size(); k++) {
            if (lines.get(k).strip().equals(marker)) {
                return k;
            }
        }
        return -1;
    }

    private static int findFence(List<String> lines, int from) {
        for (int k = from; k < lines.size(); k++) {
            if (lines.get(k).strip().equals("```")) {
                return k;
            }
        }
        return -1;
    }

    private static String join(List<String> lines, int from, int to) {
        return String.join("\n", lines.subList(from, to));
    }
}
