package dev.familiar.grandpa.workspace.edit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Files of a worktree as grandpa itself reads and writes them: a path is resolved inside the worktree,
 * links and all, and whatever leads out of it (a {@code ../}, an absolute path, a link to elsewhere) or
 * into its git metadata is refused, never followed.
 */
public final class WorktreeFiles {
    private WorktreeFiles() {}

    /**
     * Where a file named by a path relative to the worktree really is: every link on the way resolved,
     * and the result inside the worktree (the file itself may not exist yet).
     *
     * @throws IllegalArgumentException saying why the path is not a file inside the repository
     */
    public static Path resolve(Path worktree, String relative) {
        Path root = real(worktree);
        if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a file inside the repository");
        }
        Path named = root.resolve(relative).normalize();
        if (!named.startsWith(root) || named.equals(root)) {
            throw new IllegalArgumentException("not a file inside the repository");
        }
        // the longest part that exists, with its links resolved; the rest is made inside it
        Path existing = named;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw new IllegalArgumentException("a link to something that does not exist inside the repository");
        }
        Path resolved = real(existing).resolve(existing.relativize(named)).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("a link that leads out of the repository");
        }
        if (resolved.startsWith(root.resolve(".git")) || resolved.equals(root)) {
            throw new IllegalArgumentException("not a file inside the repository");
        }
        return resolved;
    }

    /** The text of a regular file inside the worktree, or empty when it is not one, too large, or not text. */
    public static Optional<String> readText(Path worktree, String relative, long maxBytes) {
        try {
            Path file = resolve(worktree, relative);
            if (!Files.isRegularFile(file) || Files.size(file) > maxBytes) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty(); // outside, gone, or not text
        }
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + path.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
