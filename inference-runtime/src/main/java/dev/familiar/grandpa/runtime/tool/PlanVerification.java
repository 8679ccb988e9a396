package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.placement.PlanCheck;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.supervise.LogDigest;
import dev.familiar.grandpa.runtime.supervise.ServerProcess;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code placement --verify}: the plan against what the server really allocated, per device, from its own
 * "buffer size" lines: read from the log of a server that runs ({@code --verify-log}), or from the planned
 * server started for the purpose and stopped once it says it listens.
 */
final class PlanVerification {
    /** The lines after which a server has allocated everything: mainline's, ik_llama.cpp's. */
    private static final List<String> LISTENING = List.of("server is listening", "HTTP server listening",
            "starting the main loop");

    private PlanVerification() {}

    static Map<String, Double> fromLog(Path log) {
        var digest = new LogDigest(1);
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(digest::accept);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the server's log " + log + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("the server's log " + log + " is not text: " + e.getMessage());
        }
        return digest.buffersMiB();
    }

    /** Starts the server, reads its log until it listens, exits or the time is up, then stops it. */
    static Map<String, Double> fromServer(List<String> command, Duration limit, PrintStream out) {
        var digest = new LogDigest(20);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        out.println("started the planned server (pid " + p.pid() + ") to read what it allocates...");
        var listening = CompletableFuture.runAsync(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    digest.accept(line);
                    if (LISTENING.stream().anyMatch(line::contains)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // it ended: what it logged is what there is
            }
        }, Thread::startVirtualThread);
        try {
            listening.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            out.println("it did not say it listens within " + limit.toSeconds() + " s; comparing what it logged so far");
        } finally {
            ServerProcess.stop(p);
        }
        if (digest.buffersMiB().isEmpty()) {
            out.println("its last lines: " + String.join(" | ", digest.tail()));
        }
        return digest.buffersMiB();
    }

    /** Prints the plan against the log per device; whether every device is within {@link PlanCheck#WARN_PERCENT}. */
    static boolean print(PrintStream out, PlacementPlan plan, Map<String, Double> logged) {
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
