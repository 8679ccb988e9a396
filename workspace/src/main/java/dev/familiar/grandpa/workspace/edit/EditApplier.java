package dev.familiar.grandpa.workspace.edit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a coder's edits to a worktree, all or nothing: an edit that does not apply (a SEARCH part
 * not found in the file, a path outside the worktree, directly or through a link) is reported with what
 * to fix, and the files are left as they were. Files are written where their path really leads, which
 * {@link WorktreeFiles} has checked is inside the worktree.
 */
public final class EditApplier {
    /** What applying gave: the files changed, or the problems (none changed then). */
    public record Outcome(List<String> changed, List<String> problems) {
        public boolean applied() {
            return problems.isEmpty();
        }
    }

    private EditApplier() {}

    public static Outcome apply(Path worktree, List<Edit> edits) {
        Path root;
        try {
            root = worktree.toRealPath();
        } catch (IOException e) {
            return new Outcome(List.of(), List.of("the worktree is gone: " + e.getMessage()));
        }
        var contents = new java.util.LinkedHashMap<Path, String>();
        var problems = new ArrayList<String>();
        for (Edit edit : edits) {
            Path file;
            try {
                file = WorktreeFiles.resolve(root, edit.path());
            } catch (IllegalArgumentException e) {
                problems.add(edit.path() + ": " + e.getMessage());
                continue;
            }
            try {
                String current = contents.containsKey(file) ? contents.get(file)
                        : Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
                switch (edit) {
                    case Edit.WholeFile w -> contents.put(file, w.content());
                    case Edit.SearchReplace r -> {
                        String next = replace(current, r, problems);
                        if (next != null) {
                            contents.put(file, next);
                        }
                    }
                }
            } catch (IOException e) {
                problems.add(edit.path() + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        if (edits.isEmpty()) {
            problems.add("the answer has no edits: write each change as a SEARCH/REPLACE block under the file's path");
        }
        if (!problems.isEmpty()) {
            return new Outcome(List.of(), problems);
        }
        var changed = new ArrayList<String>();
        try {
            for (var entry : contents.entrySet()) {
                Files.createDirectories(entry.getKey().getParent());
                Files.writeString(entry.getKey(), entry.getValue(), StandardCharsets.UTF_8);
                changed.add(root.relativize(entry.getKey()).toString());
            }
        } catch (IOException e) {
            return new Outcome(List.of(), List.of("cannot write the edits: " + e.getMessage()));
        }
        return new Outcome(changed, List.of());
    }

    /** The file with the block replaced, or null with a problem recorded. */
    private static String replace(String current, Edit.SearchReplace edit, List<String> problems) {
        if (edit.search().isEmpty()) {
            if (current != null && !current.isBlank()) {
                problems.add(edit.path() + ": an empty SEARCH creates a file, but this one exists; copy the lines to change");
                return null;
            }
            return edit.replace().endsWith("\n") ? edit.replace() : edit.replace() + "\n";
        }
        if (current == null) {
            problems.add(edit.path() + ": there is no such file; to create it, leave SEARCH empty");
            return null;
        }
        int at = current.indexOf(edit.search());
        if (at >= 0) {
            if (current.indexOf(edit.search(), at + 1) >= 0) {
                problems.add(edit.path() + ": the SEARCH part is found more than once; add lines around it so it is unique");
                return null;
            }
            return current.substring(0, at) + edit.replace() + current.substring(at + edit.search().length());
        }
        String loose = looseReplace(current, edit);
        if (loose == null) {
            problems.add(edit.path() + ": the SEARCH part is not in the file; it must copy the existing lines exactly:\n"
                    + edit.search());
        }
        return loose;
    }

    /** The same block matched line by line with trailing spaces ignored, as models often drop them. */
    private static String looseReplace(String current, Edit.SearchReplace edit) {
        List<String> lines = current.lines().toList();
        List<String> wanted = edit.search().lines().map(String::stripTrailing).toList();
        for (int i = 0; i + wanted.size() <= lines.size(); i++) {
            boolean match = true;
            for (int k = 0; k < wanted.size() && match; k++) {
                match = lines.get(i + k).stripTrailing().equals(wanted.get(k));
            }
            if (match) {
                var out = new ArrayList<String>(lines.subList(0, i));
                out.addAll(edit.replace().lines().toList());
                out.addAll(lines.subList(i + wanted.size(), lines.size()));
                return String.join("\n", out) + (current.endsWith("\n") ? "\n" : "");
            }
        }
        return null;
    }
}
