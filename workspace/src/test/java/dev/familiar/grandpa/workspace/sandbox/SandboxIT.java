package dev.familiar.grandpa.workspace.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands in a real bubblewrap sandbox, with pasta's network namespaces (CI installs both; .ci/run says how). */
class SandboxIT {
    @TempDir
    Path tmp;

    private Path worktree;
    private Path data;
    private Sandbox sandbox;
    private final Limits limits = new Limits(Duration.ofSeconds(30), 2L << 30, 256, 4096, 1L << 30);

    @BeforeEach
    void worktreeInsideTheServiceData() throws Exception {
        data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("admin.token"), "the-admin-token");
        worktree = Files.createDirectories(data.resolve("workspaces/attempts/t/1-a"));
        Files.writeString(worktree.resolve("input.txt"), "hello\n");
        sandbox = new Sandbox(settings(List.of(data)));
        assertThat(sandbox.confined()).as("bubblewrap is installed (.ci/run installs it)").isTrue();
    }

    private Sandbox.Settings settings(List<Path> hidden) {
        var found = Sandbox.Settings.fromPath(false, hidden, data.resolve("sandbox"));
        assertThat(found.pasta()).as("pasta is installed (.ci/run installs passt)").isNotNull();
        return found;
    }

    @Test
    void aCommandWritesItsWorktreeAndNothingElse() throws Exception {
        Path outside = Files.createDirectories(Path.of("target", "sandbox-outside-" + UUID.randomUUID()).toAbsolutePath());
        var result = sandbox.run(worktree, "cat input.txt > copy.txt && echo done; echo x > " + outside.resolve("leak.txt")
                + " || echo refused; echo x > /usr/leak || echo refused-usr", limits, Access.NONE);
        assertThat(result.passed()).isTrue();
        assertThat(Files.readString(worktree.resolve("copy.txt"))).isEqualTo("hello\n");
        assertThat(result.outputTail()).contains("done", "refused", "refused-usr");
        assertThat(outside.resolve("leak.txt")).doesNotExist();
        assertThat(Path.of("/usr/leak")).doesNotExist();
    }

    @Test
    void theHostBeyondTheSystemDirectoriesIsAbsent() {
        var result = sandbox.run(worktree, "cat " + data.resolve("admin.token") + " || echo hidden; ls " + data.resolve("x")
                + " /root /home /var /srv 2>&1; echo home=$HOME; ls -A $HOME | wc -l", limits, Access.NONE);
        assertThat(result.outputTail()).doesNotContain("the-admin-token").contains("hidden", "No such file", "home=/home/sandbox")
                .endsWith("\n0\n");
    }

    @Test
    void commandsRunAsAnUnprivilegedUserThatCannotReadWhatIsTheServices() throws Exception {
        // As root, grandpa drops commands to another user; as an ordinary user (its systemd unit) they are that
        // user in a namespace of their own, and what they must not read is absent (the tests beside this one)
        assumeTrue(root(), "grandpa runs as root");
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "owner-only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        var result = sandbox.run(worktree, "id -u; cat /etc/shadow && echo SHADOW-READ; cat " + secret + " && echo SECRET-READ;"
                + " touch made-here && echo wrote", limits, new Access(Network.NONE, List.of(), List.of(secret)));
        assertThat(result.outputTail()).doesNotContain("SHADOW-READ", "SECRET-READ", "owner-only").contains("wrote");
        assertThat(result.outputTail().lines().findFirst().orElseThrow()).isNotEqualTo("0");
    }

    @Test
    void theEnvironmentHoldsNothingOfTheService() {
        var result = sandbox.run(worktree, "env", limits, Access.NONE);
        Set<String> names = Set.copyOf(Arrays.stream(result.outputTail().split("\n"))
                .filter(line -> line.contains("=")).map(line -> line.substring(0, line.indexOf('='))).toList());
        assertThat(names).isSubsetOf("PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "OLDPWD");
    }

    @Test
    void withoutNetworkNothingConnectsAndWithOutboundAccessTheHostsLoopbackIsStillRefused() throws Exception {
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(2_000);
            String connect = connect("127.0.0.1", server.getLocalPort());
            var confined = sandbox.run(worktree, connect, limits, Access.NONE);
            assertThat(confined.outputTail()).contains("no-connection").doesNotContain("connected\n");

            var outbound = sandbox.run(worktree, "ip route; " + connect + "; " + connect("192.0.2.1", server.getLocalPort()),
                    limits, new Access(Network.OUTBOUND, List.of(), List.of()));
            assertThat(outbound.outputTail()).as("a namespace of its own with a route out").contains("default via")
                    .contains("no-connection").doesNotContain("connected\n");
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anAgentReachesTheForwardedPortsAloneAndNamedHostsThroughTheirRelay() throws Exception {
        try (var model = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             var api = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             var other = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            other.setSoTimeout(2_000);
            var places = new ArrayList<>(List.of(new Network.Place("127.0.0.1", model.getLocalPort())));
            // a name for a host elsewhere: here one that this machine resolves to its loopback, reached through a relay
            String name = InetAddress.getLocalHost().getHostName();
            boolean relayed = InetAddress.getByName(name).isLoopbackAddress() && !name.equals("localhost");
            if (relayed) {
                places.add(new Network.Place(name, api.getLocalPort()));
            }
            var access = new Access(new Network.Forwarded(places), List.of(), List.of());
            var result = sandbox.run(worktree, connect("127.0.0.1", model.getLocalPort()) + "; "
                    + connect("127.0.0.1", other.getLocalPort()) + "; " + (relayed ? connect(name, api.getLocalPort()) : "")
                    + "; ip route | grep -c default", limits, access);
            assertThat(result.outputTail().lines().toList()).startsWith("connected", "no-connection");
            model.accept().close();
            if (relayed) {
                assertThat(result.outputTail().lines().toList().get(2)).isEqualTo("connected");
                api.setSoTimeout(5_000);
                api.accept().close();
            }
            assertThat(result.outputTail()).endsWith("0\n"); // no route anywhere
            assertThatThrownBy(other::accept).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(NamespacesLeft.ours()).as("network namespaces left behind").isEmpty();
    }

    @Test
    void anAgentsHomeHoldsOnlyTheFilesItsConfigurationListsReadOnly() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("cfg")).resolve("agent.conf.yml");
        Files.writeString(config, "model: coder\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        var result = sandbox.run(worktree, "ls -A $HOME; cat $HOME/agent.conf.yml; echo x >> $HOME/agent.conf.yml || echo read-only",
                limits, new Access(Network.NONE, List.of(), List.of(), List.of(config)));
        assertThat(result.outputTail()).isEqualTo("agent.conf.yml\nmodel: coder\n" + result.outputTail()
                .substring("agent.conf.yml\nmodel: coder\n".length())).contains("read-only");
        assertThat(Files.readString(config)).isEqualTo("model: coder\n");
        assertThat(Files.list(data.resolve("sandbox"))).as("copies removed after the run").isEmpty();
    }

    @Test
    void asAnOrdinaryUserPastaRunsTheCommandAndTheHostsLoopbackIsRefusedToo() throws Exception {
        // grandpa as its systemd unit runs it: not root; the sandbox is then made without ip netns or setpriv.
        // Root plays that user here; run as one (scripts/systemd-check.sh), every other test is this one.
        assumeTrue(root(), "root, to play an ordinary user");
        Path shared = Files.createTempDirectory(Path.of("/var/tmp"), "sandbox-user-");
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(2_000);
            Path tree = Files.createDirectories(shared.resolve("wt"));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxrwxrwx"));
            var user = new Sandbox(new Sandbox.Settings(settings(List.of()).bwrap(), settings(List.of()).pasta(), false,
                    List.of(), Sandbox.Settings.SYSTEM, shared.resolve("scratch"), Sandbox.Settings.NOBODY), false);
            for (Network network : List.of(Network.NONE, Network.OUTBOUND)) {
                try (Confined confined = user.open(tree, new Access(network, List.of(), List.of()), limits)) {
                    var argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
                    argv.addAll(confined.launcher());
                    argv.addAll(List.of("sh", "-c", "id -u; ip route | grep -c default; "
                            + connect("127.0.0.1", server.getLocalPort()) + "; touch made"));
                    Process p = new ProcessBuilder(argv).directory(tree.toFile()).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes());
                    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                    // without network, bubblewrap's own user namespace maps it to 65534; with it, pasta's maps it to 0
                    assertThat(out.lines().toList()).as(network + ": " + out)
                            .startsWith(network == Network.NONE ? "65534" : "0", network == Network.NONE ? "0" : "1")
                            .contains("no-connection");
                    assertThat(tree.resolve("made")).exists();
                }
            }
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        } finally {
            try (var paths = Files.walk(shared)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean root() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static String connect(String host, int port) {
        return "(timeout 3 bash -c 'echo hi > /dev/tcp/" + host + "/" + port + "' 2>/dev/null && echo connected || echo no-connection)";
    }

    @Test
    void aCommandPastItsTimeIsKilledWithEveryProcessItStarted() {
        String marker = "sleep 7" + (100 + (int) (Math.random() * 800));
        var result = sandbox.run(worktree, "echo started; " + marker + " & setsid " + marker + " & wait",
                new Limits(Duration.ofSeconds(2), limits.memoryBytes(), limits.processes(), limits.outputBytes(), 1L << 30),
                Access.NONE);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.passed()).isFalse();
        assertThat(result.outputTail()).contains("started", "[killed after 2 s]");
        await("processes left behind").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> running(marker) == 0);
    }

    @Test
    void aProcessLeftInTheBackgroundDiesWithTheCommand() {
        String marker = "sleep 8" + (100 + (int) (Math.random() * 800));
        var result = sandbox.run(worktree, "(setsid nohup " + marker + " >/dev/null 2>&1 &); echo left", limits, Access.NONE);
        assertThat(result.passed()).isTrue();
        await("processes left behind").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> running(marker) == 0);
    }

    @Test
    void anInterruptedRunLeavesNothingRunning() throws Exception {
        String marker = "sleep 6" + (100 + (int) (Math.random() * 800));
        var failure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                sandbox.run(worktree, marker + " & " + marker + " & wait", limits, Access.NONE);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> running(marker) == 2);
        caller.interrupt(); // a cancelled task, a stopping service
        caller.join(10_000);
        assertThat(failure.get()).hasMessageContaining("interrupted");
        await("processes left behind").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> running(marker) == 0);
    }

    private static long running(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").equals(marker)
                || p.info().commandLine().orElse("").equals("/usr/bin/" + marker)).count();
    }

    @Test
    void limitsApplyAndOnlyTheTailOfALongOutputIsKept() {
        var result = sandbox.run(worktree, "ulimit -v; seq 1 100000", limits, Access.NONE);
        assertThat(result.passed()).isTrue();
        assertThat(result.outputTail()).startsWith("[").contains("bytes before this were dropped", "\n100000\n")
                .doesNotContain("\n2097152\n");
        var head = sandbox.run(worktree, "ulimit -v; grep processes /proc/self/limits; head -c 2G /dev/zero > big || echo too-big",
                limits, Access.NONE);
        assertThat(head.outputTail()).startsWith("2097152\n").containsPattern("Max processes +256 +256 ").contains("too-big");
        assertThat(Files.exists(worktree.resolve("big")) ? worktree.resolve("big").toFile().length() : 0).isLessThanOrEqualTo(1L << 30);
        assertThat(sandbox.run(worktree, "exit 3", limits, Access.NONE).exitCode()).isEqualTo(3);
    }

    @Test
    void writablePathsAndTheGitDirectoryAreOpenedOnPurpose() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx")); // the sandbox's user writes it
        Path gitDir = Files.createDirectories(data.resolve("workspaces/mirrors/app.git"));
        Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
        var result = sandbox.run(worktree, "echo built > " + cache.resolve("artifact") + " && cat " + gitDir.resolve("HEAD")
                + " && (echo x > " + gitDir.resolve("HEAD") + " || echo read-only)", limits,
                new Access(Network.NONE, List.of(cache), List.of(gitDir)));
        assertThat(result.outputTail()).contains("ref: refs/heads/main", "read-only");
        assertThat(Files.readString(cache.resolve("artifact"))).isEqualTo("built\n");
        assertThat(Files.readString(gitDir.resolve("HEAD"))).isEqualTo("ref: refs/heads/main\n");
    }

    @Test
    void withoutBubblewrapNothingRunsUnlessRunningUnconfinedWasAllowed() throws Exception {
        var none = new Sandbox(new Sandbox.Settings(null, null, false, List.of(data), Sandbox.Settings.SYSTEM, tmp, 65534));
        assertThat(none.confined()).isFalse();
        assertThatThrownBy(() -> none.run(worktree, "touch ran", limits, Access.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install bubblewrap");
        assertThat(worktree.resolve("ran")).doesNotExist();

        var unconfined = new Sandbox(new Sandbox.Settings(null, null, true, List.of(), Sandbox.Settings.SYSTEM, tmp, 65534));
        String name = "ran-" + UUID.randomUUID();
        assertThat(unconfined.run(worktree, "touch " + name, limits, Access.NONE).passed()).isTrue();
        assertThat(worktree.resolve(name)).exists();
    }

    @Test
    void withoutPastaACommandThatNeedsTheNetworkIsRefused() {
        var found = settings(List.of(data));
        var noPasta = new Sandbox(new Sandbox.Settings(found.bwrap(), null, false, List.of(data), found.system(),
                found.scratch(), found.uid()));
        assertThatThrownBy(() -> noPasta.run(worktree, "true", limits, new Access(Network.OUTBOUND, List.of(), List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install passt");
    }

    /** The network namespaces this process made and has not taken down. */
    static final class NamespacesLeft {
        static List<String> ours() throws Exception {
            Process p = new ProcessBuilder("ip", "netns", "list").start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().filter(l -> l.startsWith(NamespaceNetwork.PREFIX)).toList();
        }
    }
}
