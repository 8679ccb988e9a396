package dev.familiar.grandpa.workspace.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The links a change adds (or turns a file into) that point out of the repository, absolutely or by
 * climbing out of it, or into its git metadata, each with where it points: such a change is never
 * committed, since the next attempt's writes would follow it.
 */
final class LinksOut {
    private static final String LINK_MODE = "120000";

    private LinksOut() {}

    /** @param rawDiff {@code git diff --raw -z} of the change: NUL-separated metadata and path pairs */
    static List<String> of(String rawDiff, Path worktree) {
        String[] fields = rawDiff.split("\0");
        var out = new ArrayList<String>();
        Path root = worktree.toAbsolutePath().normalize();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            String[] meta = fields[i].split(" ");
            if (meta.length >= 2 && meta[1].equals(LINK_MODE)) {
                Path link = root.resolve(fields[i + 1]);
                try {
                    Path target = Files.readSymbolicLink(link);
                    Path lands = link.getParent().resolve(target).normalize();
                    if (target.isAbsolute() || !lands.startsWith(root) || lands.startsWith(root.resolve(".git"))) {
                        out.add(fields[i + 1] + " -> " + target);
                    }
                } catch (IOException e) {
                    out.add(fields[i + 1] + " (unreadable link)");
                }
            }
        }
        return out;
    }
}
