package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command from the configuration in a worktree, confined with bubblewrap: the whole filesystem
 * read-only but the worktree (and the paths the repository names), the service's own directories
 * (its data, its tokens, the user's home) hidden behind empty ones, a fresh /tmp, no network unless
 * the repository allows it, no capabilities, its own process, user and IPC namespaces, an empty
 * environment (no secret of the service goes in), limits on memory and processes, and the whole
 * process tree killed at the time limit. Without bubblewrap, commands are refused unless running them
 * unconfined was allowed.
 */
public final class Sandbox {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * What a command may reach beyond the worktree.
     *
     * @param writable paths it may write
     * @param readable paths it may read that are otherwise hidden (the repository's git directory)
     */
    public record Access(boolean network, List<Path> writable, List<Path> readable) {
        public static final Access NONE = new Access(false, List.of(), List.of());

        public Access {
            writable = List.copyOf(writable);
            readable = List.copyOf(readable);
        }
    }

    private final Path bwrap;
    private final boolean allowUnsandboxed;
    private final List<Path> hidden;

    /**
     * @param bwrap            the bubblewrap executable, or null for none
     * @param allowUnsandboxed run commands unconfined when there is no bubblewrap (off by default)
     * @param hidden           directories a command sees empty (the service's data directory, the home)
     */
    public Sandbox(Path bwrap, boolean allowUnsandboxed, List<Path> hidden) {
        this.bwrap = bwrap;
        this.allowUnsandboxed = allowUnsandboxed;
        // a directory before the ones inside it, so hiding one does not undo hiding another
        this.hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount)).toList();
    }

    /** A sandbox with the bubblewrap found on the PATH, if any. */
    public static Sandbox fromPath(boolean allowUnsandboxed, List<Path> hidden) {
        return new Sandbox(onPath("bwrap"), allowUnsandboxed, hidden);
    }

    /** Whether commands run confined. */
    public boolean confined() {
        return bwrap != null;
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c} in the worktree, with an empty environment.
     *
     * @throws IllegalStateException when there is no sandbox and running unconfined is not allowed
     */
    public CheckResult run(Path worktree, String command, Limits limits, Access access) {
        Path dir = worktree.toAbsolutePath().normalize();
        var argv = new ArrayList<>(launcher(dir, access));
        // prlimit (util-linux) sets the limits and fails loudly where it cannot; the command is one argument, never spliced
        argv.add("prlimit");
        if (limits.memoryBytes() > 0) {
            argv.add("--as=" + limits.memoryBytes());
        }
        argv.addAll(List.of("--nproc=" + limits.processes(), "--", "/bin/sh", "-c", command));
        return execute(argv, dir, command, limits);
    }

    /**
     * The command line a program is run under to be confined to the worktree (it goes before the
     * program's own); the program gets the environment its caller gives, nothing of bubblewrap's.
     * Empty when there is no bubblewrap and running unconfined was allowed.
     *
     * @throws IllegalStateException when there is no sandbox and running unconfined is not allowed
     */
    public List<String> launcher(Path worktree, Access access) {
        Path dir = worktree.toAbsolutePath().normalize();
        if (bwrap == null) {
            if (!allowUnsandboxed) {
                throw new IllegalStateException("bubblewrap (bwrap) is not installed, so the command is not run: install "
                        + "it (Debian: apt-get install bubblewrap), or set grandpa.sandbox.allow-unsandboxed=true to run "
                        + "commands unconfined");
            }
            return List.of();
        }
        var argv = new ArrayList<>(List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        // bubblewrap mounts in order: hide first, then open up what the command needs inside what was hidden
        for (Path path : hidden) {
            if (Files.isDirectory(path)) {
                argv.addAll(List.of("--tmpfs", path.toString()));
            }
        }
        for (Path path : access.readable()) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        for (Path path : access.writable()) {
            argv.addAll(List.of("--bind", path.toString(), path.toString()));
        }
        argv.addAll(List.of("--bind", dir.toString(), dir.toString(), "--chdir", dir.toString()));
        if (access.network()) {
            argv.add("--share-net");
        }
        return List.copyOf(argv);
    }

    private static CheckResult execute(List<String> argv, Path dir, String command, Limits limits) {
        long start = System.nanoTime();
        Process process;
        try {
            var builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", PATH);
            builder.environment().put("HOME", "/tmp");
            builder.environment().put("LANG", "C.UTF-8");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        try {
            process.getOutputStream().close();
            var tail = new Tail(limits.outputBytes());
            Thread reader = Thread.ofVirtual().start(() -> tail.read(process.getInputStream()));
            boolean finished = process.waitFor(limits.time().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            return new CheckResult(command, finished ? process.exitValue() : -1, ms, !finished,
                    finished ? tail.text() : tail.text() + "\n[killed after " + limits.time().toSeconds() + " s]");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (process.isAlive()) { // interrupted (the task was cancelled, the service stops): nothing is left running
                kill(process);
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", PATH).split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The last bytes of a stream, the rest read and dropped so the command never blocks on its output. */
    private static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int size) {
            this.ring = new byte[size];
        }

        void read(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % ring.length)] = buffer[i];
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read stands
            }
        }

        synchronized String text() {
            int size = (int) Math.min(total, ring.length);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = ring[(int) ((total - size + i) % ring.length)];
            }
            String text = new String(out, StandardCharsets.UTF_8);
            return total > ring.length ? "[" + (total - ring.length) + " bytes before this were dropped]\n" + text : text;
        }
    }
}
