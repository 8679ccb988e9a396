package dev.familiar.grandpa.workspace.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands in a real bubblewrap sandbox (CI installs bubblewrap; .ci/run says how). */
class SandboxIT {
    @TempDir
    Path tmp;

    private Path worktree;
    private Path data;
    private Sandbox sandbox;
    private final Limits limits = new Limits(Duration.ofSeconds(30), 2L << 30, 256, 4096);

    @BeforeEach
    void worktreeInsideTheServiceData() throws Exception {
        data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("admin.token"), "the-admin-token");
        worktree = Files.createDirectories(data.resolve("workspaces/attempts/t/1-a"));
        Files.writeString(worktree.resolve("input.txt"), "hello\n");
        sandbox = Sandbox.fromPath(false, List.of(data));
        assertThat(sandbox.confined()).as("bubblewrap is installed (.ci/run installs it)").isTrue();
    }

    @Test
    void aCommandWritesItsWorktreeAndNothingElse() throws Exception {
        // /tmp is the sandbox's own, so the place it must not write is elsewhere: the module's build directory
        Path outside = Files.createDirectories(Path.of("target", "sandbox-outside-" + UUID.randomUUID()).toAbsolutePath());
        var result = sandbox.run(worktree, "cat input.txt > copy.txt && echo done; echo x > " + outside.resolve("leak.txt")
                + " || echo refused", limits, Sandbox.Access.NONE);
        assertThat(result.passed()).isTrue();
        assertThat(Files.readString(worktree.resolve("copy.txt"))).isEqualTo("hello\n");
        // read-only where the checkout is visible; absent where it lies under /tmp, which the sandbox replaces
        assertThat(result.outputTail()).contains("done", "refused").containsAnyOf("Read-only file system", "Directory nonexistent");
        assertThat(outside.resolve("leak.txt")).doesNotExist();
    }

    @Test
    void theServiceDataAroundTheWorktreeIsHidden() {
        var result = sandbox.run(worktree, "cat " + data.resolve("admin.token") + " || echo hidden; ls " + data, limits,
                Sandbox.Access.NONE);
        assertThat(result.outputTail()).doesNotContain("the-admin-token").contains("hidden", "No such file");
    }

    @Test
    void theEnvironmentHoldsNothingOfTheService() {
        var result = sandbox.run(worktree, "env", limits, Sandbox.Access.NONE);
        Set<String> names = Set.copyOf(Arrays.stream(result.outputTail().split("\n"))
                .filter(line -> line.contains("=")).map(line -> line.substring(0, line.indexOf('='))).toList());
        assertThat(names).isSubsetOf("PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "OLDPWD");
    }

    @Test
    void noConnectionReachesTheHostUnlessTheRepositoryAllowsIt() throws Exception {
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(2_000);
            String connect = "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "' && echo connected || echo no-connection";
            var confined = sandbox.run(worktree, connect, limits, Sandbox.Access.NONE);
            assertThat(confined.outputTail()).contains("no-connection").doesNotContain("connected\n");
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);

            var allowed = sandbox.run(worktree, connect, limits, new Sandbox.Access(true, List.of(), List.of()));
            assertThat(allowed.outputTail()).contains("connected");
            server.accept().close();
        }
    }

    @Test
    void aCommandPastItsTimeIsKilledWithEveryProcessItStarted() {
        String marker = "sleep 7" + (100 + (int) (Math.random() * 800));
        var result = sandbox.run(worktree, "echo started; " + marker + " & " + marker + " & wait",
                new Limits(Duration.ofSeconds(2), limits.memoryBytes(), limits.processes(), limits.outputBytes()),
                Sandbox.Access.NONE);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.passed()).isFalse();
        assertThat(result.outputTail()).contains("started", "[killed after 2 s]");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)))
                .as("processes left behind").isEmpty();
    }

    @Test
    void anInterruptedRunLeavesNothingRunning() throws Exception {
        String marker = "sleep 6" + (100 + (int) (Math.random() * 800));
        var failure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                sandbox.run(worktree, marker + " & " + marker + " & wait", limits, Sandbox.Access.NONE);
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
        var result = sandbox.run(worktree, "ulimit -v; seq 1 100000", limits, Sandbox.Access.NONE);
        assertThat(result.passed()).isTrue();
        assertThat(result.outputTail()).startsWith("[").contains("bytes before this were dropped", "\n100000\n")
                .doesNotContain("\n2097152\n");
        var head = sandbox.run(worktree, "ulimit -v; grep processes /proc/self/limits", limits, Sandbox.Access.NONE);
        assertThat(head.outputTail()).startsWith("2097152\n").containsPattern("Max processes +256 +256 ");
        assertThat(sandbox.run(worktree, "exit 3", limits, Sandbox.Access.NONE).exitCode()).isEqualTo(3);
    }

    @Test
    void writablePathsAndTheGitDirectoryAreOpenedOnPurpose() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path gitDir = Files.createDirectories(data.resolve("workspaces/mirrors/app.git"));
        Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
        var result = sandbox.run(worktree, "echo built > " + cache.resolve("artifact") + " && cat " + gitDir.resolve("HEAD")
                + " && (echo x > " + gitDir.resolve("HEAD") + " || echo read-only)", limits,
                new Sandbox.Access(false, List.of(cache), List.of(gitDir)));
        assertThat(result.outputTail()).contains("ref: refs/heads/main", "read-only");
        assertThat(Files.readString(cache.resolve("artifact"))).isEqualTo("built\n");
        assertThat(Files.readString(gitDir.resolve("HEAD"))).isEqualTo("ref: refs/heads/main\n");
    }

    @Test
    void withoutBubblewrapNothingRunsUnlessRunningUnconfinedWasAllowed() throws Exception {
        var none = new Sandbox(null, false, List.of(data));
        assertThat(none.confined()).isFalse();
        assertThatThrownBy(() -> none.run(worktree, "touch ran", limits, Sandbox.Access.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install bubblewrap");
        assertThat(worktree.resolve("ran")).doesNotExist();

        var unconfined = new Sandbox(null, true, List.of());
        String name = "ran-" + UUID.randomUUID();
        assertThat(unconfined.run(worktree, "touch " + name, limits, Sandbox.Access.NONE).passed()).isTrue();
        assertThat(worktree.resolve(name)).exists();
    }
}
