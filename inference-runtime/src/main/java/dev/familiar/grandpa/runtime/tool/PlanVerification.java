package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.placement.PlanCheck;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.SpeedCheck;
import dev.familiar.grandpa.runtime.supervise.LogDigest;
import dev.familiar.grandpa.runtime.supervise.ServerHealth;
import dev.familiar.grandpa.runtime.supervise.ServerProcess;
import dev.familiar.grandpa.runtime.supervise.ServerTimings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code placement --verify}: the plan against what the server really allocated, per device, from its own
 * "buffer size" lines, and against how fast it really was, from its timings: read from the log of a server that runs
 * ({@code --verify-log}), or from the planned server started for the purpose, asked one request once its
 * {@code /health} answers, and stopped.
 */
final class PlanVerification {
    private static final Duration POLL = Duration.ofMillis(500);

    private PlanVerification() {}

    /** What a server's log (or its answer) said: its buffers, "CUDA0 weights" → MiB, and its fastest timings. */
    record Observed(Map<String, Double> buffersMiB, ServerTimings timings) {}

    static Observed fromLog(Path log) {
        var digest = new LogDigest(1);
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(digest::accept);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the server's log " + log + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("the server's log " + log + " is not text: " + e.getMessage());
        }
        return new Observed(digest.buffersMiB(), digest.timings());
    }

    /**
     * Starts the server, reads its log while it loads, and once its {@code /health} answers 200 (within {@code limit})
     * has {@code probe} ask it one request (in what is left of the time) for its timings; then stops it.
     */
    static Observed fromServer(List<String> command, Duration limit, PrintStream out, ServerHealth health,
                               Function<Duration, ServerTimings> probe) {
        var digest = new LogDigest(20);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        out.println("started the planned server (pid " + p.pid() + ") to read what it allocates...");
        long deadline = System.nanoTime() + limit.toNanos();
        Thread reading = Thread.startVirtualThread(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    digest.accept(line);
                }
            } catch (IOException e) {
                // it ended: what it logged is what there is
            }
        });
        ServerTimings timings = ServerTimings.NONE;
        try {
            if (awaitReady(p, health, deadline)) {
                out.println("asked it for random prompt tokens and " + SpeedProbe.GENERATED
                        + " generated, after a request like it to warm it up, to read its speed...");
                timings = probe.apply(Duration.ofNanos(deadline - System.nanoTime()).plusSeconds(5));
            } else if (p.isAlive()) {
                out.println("it did not answer /health within " + limit.toSeconds() + " s; comparing what it logged so far");
            } else {
                out.println("it exited (status " + p.exitValue() + ") before it answered; comparing what it logged");
            }
        } catch (IllegalStateException e) {
            out.println("its speed was not measured: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted while it loaded; comparing what it logged so far");
        } finally {
            ServerProcess.stop(p);
        }
        try {
            reading.join(Duration.ofSeconds(5)); // its output ends with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (digest.buffersMiB().isEmpty()) {
            out.println("its last lines: " + String.join(" | ", digest.tail()));
        }
        return new Observed(digest.buffersMiB(), timings);
    }

    private static boolean awaitReady(Process p, ServerHealth health, long deadline) throws InterruptedException {
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (health.status() == 200) { // both servers answer 503 while they load; what they log once ready differs
                return true;
            }
            Thread.sleep(POLL);
        }
        return false;
    }

    /**
     * Prints the plan against the log per device, and its speed against the server's timings; whether every device
     * and speed is within {@link PlanCheck#WARN_PERCENT}.
     */
    static boolean print(PrintStream out, PlacementPlan plan, Observed observed) {
        boolean memory = printMemory(out, plan, observed.buffersMiB());
        List<SpeedCheck> speeds = SpeedCheck.of(plan.prediction(), observed.timings());
        out.println();
        if (speeds.isEmpty()) {
            out.println("plan against the server's timings: none yet (a server logs them after each request; they count from "
                    + ServerTimings.MIN_PROMPT_TOKENS + " prompt tokens and " + ServerTimings.MIN_GENERATED_TOKENS + " generated)");
            return memory;
        }
        out.println("plan against the server's timings (tokens a second; prompt from an empty context,"
                + " generation as a llama-server answers, not llama-bench):");
        out.printf(Locale.ROOT, "%-10s %7s %10s %10s %10s%n", "", "tokens", "planned", "measured", "difference");
        for (SpeedCheck c : speeds) {
            out.printf(Locale.ROOT, "%-10s %7d %10.1f %10.1f %+9.1f %%%s%n", c.what(), c.tokens(), c.predicted(), c.measured(),
                    c.differencePercent(), c.warning() ? "  WARNING: more than " + (int) PlanCheck.WARN_PERCENT + " % off" : "");
        }
        return memory && speeds.stream().noneMatch(SpeedCheck::warning);
    }

    private static boolean printMemory(PrintStream out, PlacementPlan plan, Map<String, Double> logged) {
        List<PlanCheck> checks = PlanCheck.of(plan, logged);
        out.println();
        if (checks.isEmpty()) {
            out.println("plan against the server's log: the log has no buffer sizes (llama.cpp logs them with -v)");
            return false;
        }
        out.println("plan against the server's log (MiB):");
        out.printf(Locale.ROOT, "%-6s %10s %10s %10s%n", "device", "planned", "logged", "difference");
        for (PlanCheck c : checks) {
            double shown = Math.abs(c.differencePercent()) < 0.05 ? 0 : c.differencePercent(); // not "-0.0"
            out.printf(Locale.ROOT, "%-6s %10.0f %10.0f %+9.1f %%%s%n", c.device(), c.plannedMiB(), c.loggedMiB(), shown, c.warning() ? "  WARNING: more than " + (int) PlanCheck.WARN_PERCENT + " % off" : "");
        }
        return checks.stream().noneMatch(PlanCheck::warning);
    }
}
