package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of the files an agent's configuration lists for its home (its own settings), made for one run
 * and readable by the user it runs as, mounted read-only at the same place under the sandbox's home.
 */
final class HomeFiles implements AutoCloseable {
    private final Path dir;
    private final Map<Path, String> mounts;

    private HomeFiles(Path dir, Map<Path, String> mounts) {
        this.dir = dir;
        this.mounts = mounts;
    }

    /** @param owner the uid to give the copies to (grandpa runs as root), or -1 to keep them grandpa's */
    static HomeFiles copy(List<Path> files, Path scratch, int owner) {
        if (files.isEmpty()) {
            return new HomeFiles(null, Map.of());
        }
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(scratch);
            Path dir = Files.createTempDirectory(scratch, "home-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            var mounts = new LinkedHashMap<Path, String>();
            int n = 0;
            for (Path file : files) {
                Path source = file.toAbsolutePath().normalize();
                String relative = source.startsWith(home) ? home.relativize(source).toString() : source.getFileName().toString();
                Path copy = dir.resolve(String.valueOf(n++));
                Files.copy(source, copy); // the configured file, links followed: the owner named it
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--------"));
                if (owner >= 0) {
                    Files.setAttribute(copy, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(copy, "unix:gid", owner, LinkOption.NOFOLLOW_LINKS);
                }
                mounts.put(copy, Sandbox.HOME + "/" + relative);
            }
            return new HomeFiles(dir, mounts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand the agent its home files: " + e.getMessage(), e);
        }
    }

    /** Each copy and where it appears in the sandbox. */
    Map<Path, String> mounts() {
        return mounts;
    }

    @Override
    public void close() throws IOException {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
