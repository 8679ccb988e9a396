package dev.familiar.grandpa.workspace.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the sandbox costs a check: the same trivial check ({@code true}) run {@code runs} times (default
 * 50) unconfined, in the sandbox without network, with outbound network (a pasta namespace) and with
 * one forwarded port (an agent's), each timed from start to exit; then a check in a worktree of
 * {@code files} files (default 10,000), where handing the worktree to the sandbox's user (as root)
 * adds its share.
 *
 * <p>Run: {@code ./mvnw -q -pl workspace exec:java -Dexec.mainClass=dev.familiar.grandpa.workspace.sandbox.SandboxBenchmark}
 * (arguments {@code runs=N files=N}). It lives beside the sandbox because it times package-private parts.
 */
public final class SandboxBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = 50;
        int files = 10_000;
        for (String arg : args) {
            if (arg.startsWith("runs=")) {
                runs = Integer.parseInt(arg.substring(5));
            } else if (arg.startsWith("files=")) {
                files = Integer.parseInt(arg.substring(6));
            }
        }
        Path dir = Path.of("target", "sandbox-bench-" + UUID.randomUUID()).toAbsolutePath();
        Path worktree = Files.createDirectories(dir.resolve("worktree"));
        var found = Sandbox.Settings.fromPath(false, List.of(), dir.resolve("scratch"));
        var sandbox = new Sandbox(found);
        var unconfined = new Sandbox(new Sandbox.Settings(null, null, true, List.of(), found.system(), found.scratch(),
                found.uid()));
        var limits = new Limits(Duration.ofSeconds(30), 0, 1024, 4096, 1L << 30);
        System.out.printf(Locale.ROOT, "%-34s %8s %8s %8s%n", "check `true`, " + runs + " runs", "median", "p99", "max");
        report("unconfined", runs, () -> unconfined.run(worktree, "true", limits, Access.NONE));
        report("sandbox, no network", runs, () -> sandbox.run(worktree, "true", limits, Access.NONE));
        report("sandbox, outbound network", runs, () -> sandbox.run(worktree, "true", limits,
                new Access(Network.OUTBOUND, List.of(), List.of())));
        report("sandbox, one forwarded port", runs, () -> sandbox.run(worktree, "true", limits,
                new Access(new Network.Forwarded(List.of(new Network.Place("127.0.0.1", 8001))), List.of(), List.of())));

        for (int i = 0; i < files; i++) {
            Path file = worktree.resolve("src/pkg" + (i % 100) + "/File" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class File" + i + " {}\n");
        }
        String count = "find . -type f | wc -l";
        report("unconfined, " + files + " files", Math.max(5, runs / 5), () -> unconfined.run(worktree, count, limits, Access.NONE));
        report("sandbox, " + files + " files", Math.max(5, runs / 5), () -> sandbox.run(worktree, count, limits, Access.NONE));
        long start = System.nanoTime();
        SandboxedProcess.handOver(worktree, found.uid());
        System.out.printf(Locale.ROOT, "handing %d files to the sandbox's user (chown -R, as root): %d ms%n", files,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void report(String what, int runs, Supplier<CheckResult> check) {
        check.get(); // warm
        var ms = new ArrayList<Double>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            CheckResult result = check.get();
            ms.add((System.nanoTime() - start) / 1e6);
            if (!result.passed()) {
                throw new IllegalStateException(what + " failed: " + result.outputTail());
            }
        }
        Collections.sort(ms);
        System.out.printf(Locale.ROOT, "%-34s %6.1f ms %6.1f ms %6.1f ms%n", what, ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.getLast());
    }
}
