package dev.familiar.grandpa.workspace.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Runs a command from the configuration in a worktree, confined with bubblewrap. The command sees the
 * system's directories read-only (the configured {@code system} paths), its worktree, the paths the
 * repository names, an empty home and a private /tmp, and nothing else of the host: the service's
 * data, tokens, home and working directory are absent (or hidden, where a system path holds them). It
 * runs as an unprivileged user (as root, grandpa hands it the worktree and drops to {@code uid}), in
 * its own PID, IPC and UTS namespaces (nothing it starts outlives it), with an empty environment,
 * limits on memory, processes, file size and time, and the network {@link Access} gives it (none by
 * default; never the host's loopback services). Without bubblewrap, commands are refused unless
 * running them unconfined was allowed.
 */
public final class Sandbox {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The home every command gets, empty but for the files its access lists. */
    public static final String HOME = "/home/sandbox";

    /**
     * @param bwrap            the bubblewrap executable, or null for none
     * @param pasta            pasta (Debian's passt), which gives a command with network access a namespace of its
     *                         own; null: such commands are refused
     * @param allowUnsandboxed run commands unconfined when there is no bubblewrap (off by default)
     * @param hidden           directories a command sees empty where a system path would show them
     * @param system           what a command sees of the host, read-only (/usr, /etc, ...)
     * @param scratch          a directory of grandpa's for the files it hands a command (hosts file, home files)
     * @param uid              the user (and group) commands run as when grandpa runs as root
     */
    public record Settings(Path bwrap, Path pasta, boolean allowUnsandboxed, List<Path> hidden, List<Path> system,
                           Path scratch, int uid) {
        public static final List<Path> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
                "/etc", "/opt").stream().map(Path::of).toList();
        public static final int NOBODY = 65534;

        public Settings {
            // a directory before the ones inside it, so hiding one does not undo hiding another
            hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).distinct()
                    .sorted(Comparator.comparingInt(Path::getNameCount)).toList();
            system = List.copyOf(system);
        }

        /** The bubblewrap and pasta found on the PATH, if any, with the default system paths and user. */
        public static Settings fromPath(boolean allowUnsandboxed, List<Path> hidden, Path scratch) {
            return fromPath(allowUnsandboxed, hidden, SYSTEM, scratch, NOBODY);
        }

        /** The bubblewrap and pasta found on the PATH, if any. */
        public static Settings fromPath(boolean allowUnsandboxed, List<Path> hidden, List<Path> system, Path scratch,
                                        int uid) {
            return new Settings(find("bwrap").orElse(null), find("pasta").orElse(null), allowUnsandboxed, hidden, system,
                    scratch, uid);
        }
    }

    private final Settings settings;
    private final boolean root;

    public Sandbox(Settings settings) {
        this(settings, runningAsRoot());
    }

    /** @param root whether grandpa runs as root (a test confines as an ordinary user would) */
    Sandbox(Settings settings, boolean root) {
        this.settings = settings;
        this.root = root;
        if (root && settings.bwrap() != null) {
            NamespaceNetwork.sweep();
        }
    }

    /** Whether commands run confined. */
    public boolean confined() {
        return settings.bwrap() != null;
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c} in the worktree, with an empty environment.
     *
     * @throws IllegalStateException when there is no sandbox and running unconfined is not allowed, or the
     *                               network it needs cannot be given
     */
    public CheckResult run(Path worktree, String command, Limits limits, Access access) {
        Path dir = worktree.toAbsolutePath().normalize();
        try (Confined confined = open(dir, access, limits)) {
            var argv = new ArrayList<>(confined.launcher());
            // prlimit (util-linux) sets the limits and fails loudly where it cannot; the command is one argument
            argv.add("prlimit");
            if (limits.memoryBytes() > 0) {
                argv.add("--as=" + limits.memoryBytes());
            }
            argv.addAll(List.of("--nproc=" + limits.processes(), "--fsize=" + limits.diskBytes(), "--", "/bin/sh", "-c",
                    command));
            return SandboxedProcess.run(argv, dir, command, limits);
        }
    }

    /**
     * Confines a program to the worktree: the command line it is run under (it goes before the program's
     * own; the program gets the environment its caller gives, its home set by the sandbox) and what is
     * undone when it has finished (close it then). Its launcher is empty when there is no bubblewrap and
     * running unconfined was allowed.
     *
     * @throws IllegalStateException when there is no sandbox and running unconfined is not allowed, or the
     *                               network it needs cannot be given
     */
    public Confined open(Path worktree, Access access, Limits limits) {
        Path dir = worktree.toAbsolutePath().normalize();
        if (settings.bwrap() == null) {
            if (!settings.allowUnsandboxed()) {
                throw new IllegalStateException("bubblewrap (bwrap) is not installed, so the command is not run: install "
                        + "it (Debian: apt-get install bubblewrap), or set grandpa.sandbox.allow-unsandboxed=true to run "
                        + "commands unconfined");
            }
            return new Confined(List.of(), List.of());
        }
        var undo = new ArrayList<AutoCloseable>();
        try {
            HomeFiles home = HomeFiles.copy(access.homeFiles(), settings.scratch(), root ? settings.uid() : -1);
            undo.add(home);
            if (root) {
                SandboxedProcess.handOver(dir, settings.uid());
            }
            NamespaceNetwork network = NamespaceNetwork.open(access.network(), settings.pasta(), root, settings.scratch());
            undo.add(network);
            var argv = new ArrayList<>(network.prefix());
            argv.addAll(bwrap(dir, access, limits, network, home));
            return new Confined(argv, undo);
        } catch (RuntimeException e) {
            new Confined(List.of(), undo).close();
            throw e;
        }
    }

    private List<String> bwrap(Path dir, Access access, Limits limits, NamespaceNetwork network, HomeFiles home) {
        var argv = new ArrayList<>(List.of(settings.bwrap().toString(), "--die-with-parent", "--new-session",
                "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try", "--cap-drop", "ALL"));
        if (root) { // only what dropping to the unprivileged user takes, and that user keeps none of it
            argv.addAll(List.of("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"));
        } else if (network.prefix().isEmpty()) {
            argv.addAll(List.of("--unshare-user", "--disable-userns", "--uid", String.valueOf(settings.uid()), "--gid",
                    String.valueOf(settings.uid())));
        }
        // else pasta runs bubblewrap in a user namespace of its own that maps only grandpa's user (as 0, with every
        // capability dropped below): a second one inside it fails its uid map where no_new_privs is set (systemd
        // sets it for the hardened unit), and would isolate nothing more
        argv.addAll(network.bwrapArgs().stream().filter("--unshare-net"::equals).toList());
        for (Path path : settings.system()) {
            if (Files.isSymbolicLink(path)) {
                argv.addAll(List.of("--symlink", readLink(path), path.toString()));
            } else if (Files.isDirectory(path)) {
                argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
            }
        }
        String size = String.valueOf(limits.diskBytes());
        argv.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--size", size, "--tmpfs", "/tmp",
                "--perms", "0777", "--size", size, "--tmpfs", HOME));
        // bubblewrap mounts in order: hide first, then open up what the command needs inside what was hidden
        for (Path path : settings.hidden()) {
            if (Files.isDirectory(path) && settings.system().stream().anyMatch(path::startsWith)) {
                argv.addAll(List.of("--tmpfs", path.toString()));
            }
        }
        argv.addAll(network.bwrapArgs().stream().filter(a -> !a.equals("--unshare-net")).toList());
        var mounts = new ArrayList<List<String>>();
        access.readable().forEach(p -> mounts.add(List.of("--ro-bind", p.toString(), p.toString())));
        access.writable().forEach(p -> mounts.add(List.of("--bind", p.toString(), p.toString())));
        mounts.add(List.of("--bind", dir.toString(), dir.toString()));
        home.mounts().forEach((copy, at) -> mounts.add(List.of("--ro-bind", copy.toString(), at)));
        var parents = new LinkedHashSet<Path>(); // made traversable for the unprivileged user
        for (var mount : mounts) {
            for (Path p = Path.of(mount.get(2)).getParent(); p != null && p.getNameCount() > 0; p = p.getParent()) {
                Path at = p;
                if (settings.system().stream().noneMatch(at::startsWith)) {
                    parents.add(p);
                }
            }
        }
        parents.stream().sorted(Comparator.comparingInt(Path::getNameCount))
                .forEach(p -> argv.addAll(List.of("--perms", "0755", "--dir", p.toString())));
        mounts.forEach(argv::addAll);
        argv.addAll(List.of("--setenv", "HOME", HOME, "--chdir", dir.toString(), "--"));
        if (root) {
            argv.addAll(List.of("setpriv", "--reuid=" + settings.uid(), "--regid=" + settings.uid(), "--clear-groups",
                    "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"));
        }
        return argv;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A program on the PATH (or in the system's sbin directories). */
    public static Optional<Path> find(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":" + PATH).split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
