package dev.familiar.grandpa.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server a killed grandpa left running on its data directory ({@code postmaster.pid}
 * names it): stopped fast (SIGINT: its clients are gone, its data is safe in the WAL), and killed if
 * it does not stop in time, so the next start comes up on the first try. A lock file whose process is
 * gone, or is not PostgreSQL, is removed.
 */
final class OrphanedServer {
    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private OrphanedServer() {}

    static void stop(Path dataDirectory) throws IOException {
        Path lock = dataDirectory.resolve("postmaster.pid");
        Optional<Long> pid = pid(lock);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostgres(process.get())) {
            log.warn("Removing the stale lock file {} (process {} is not a running PostgreSQL)", lock, pid.get());
            Files.deleteIfExists(lock);
            return;
        }
        log.warn("A PostgreSQL server left by an earlier run (pid {}) holds {}: stopping it", pid.get(), dataDirectory);
        signal(pid.get(), "INT");
        var handle = process.get();
        try {
            handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("PostgreSQL {} did not stop within {} s: killing it; it recovers from its WAL", pid.get(), GRACE.toSeconds());
            handle.destroyForcibly();
            handle.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid.get(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
        Files.deleteIfExists(lock); // left by a server that was killed
    }

    private static Optional<Long> pid(Path lock) throws IOException {
        try {
            String first = Files.readAllLines(lock).stream().findFirst().orElse("").strip();
            return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("postgres") || c.contains("/postgres"))
                .orElse(true); // no command to read: take it for what the lock file says it is
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling PostgreSQL " + pid, e);
        }
    }
}
