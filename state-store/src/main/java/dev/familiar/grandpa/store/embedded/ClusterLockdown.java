package dev.familiar.grandpa.store.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a data directory accept password logins only, before its server starts: the superuser gets
 * its password (set in single-user mode, so no server ever runs while the cluster trusts anyone), and
 * {@code pg_hba.conf} asks scram-sha-256 of every connection, local or over loopback. A cluster made by
 * an earlier grandpa (which trusted every local connection) is moved to this on its next start.
 */
final class ClusterLockdown {
    private static final Logger log = LoggerFactory.getLogger(ClusterLockdown.class);
    static final String MARK = "# grandpa: password logins only (scram-sha-256), for every connection";
    private static final String HBA = MARK + "\n"
            + "local all all scram-sha-256\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";

    private ClusterLockdown() {}

    static void apply(File dataDirectory, Credentials credentials) {
        Path dir = dataDirectory.toPath();
        Path hba = dir.resolve("pg_hba.conf");
        try {
            if (Files.readString(hba).startsWith(MARK)) {
                return;
            }
            log.info("Locking down the embedded PostgreSQL in {}: password logins only (scram-sha-256)", dir);
            singleUser(dir, "SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD '"
                    + credentials.superuser() + "';\n");
            Path partial = dir.resolve("pg_hba.conf.new");
            Files.writeString(partial, HBA, StandardCharsets.UTF_8);
            Files.move(partial, hba, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock down the embedded PostgreSQL in " + dir, e);
        }
    }

    /** Runs SQL in PostgreSQL's single-user mode: no server, no connection from anyone else. */
    private static void singleUser(Path dir, String sql) throws IOException {
        Path postgres = binary(dir).orElseThrow(() -> new IOException("no PostgreSQL binaries of the data directory's "
                + "version were found where the embedded server unpacks them"));
        var argv = new ArrayList<String>();
        if (runningAsRoot()) {
            argv.addAll(List.of("unshare", "-U")); // as the embedded server itself is run: PostgreSQL refuses root
        }
        argv.addAll(List.of(postgres.toString(), "--single", "-D", dir.toString(), "-c", "log_statement=none", "postgres"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("ERROR:")) {
                p.destroyForcibly();
                // the output may echo the statement: only its first line of error is told
                String error = out.lines().filter(l -> l.contains("ERROR:") || l.contains("FATAL:")).findFirst().orElse("exit "
                        + (p.isAlive() ? "none" : p.exitValue()));
                throw new IOException("single-user PostgreSQL failed: " + error.replace(sql.strip(), "[statement]"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The unpacked {@code postgres} binary of the data directory's major version. */
    private static Optional<Path> binary(Path dir) throws IOException {
        String major = Files.readString(dir.resolve("PG_VERSION")).strip();
        Path unpacked = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        if (!Files.isDirectory(unpacked)) {
            return Optional.empty();
        }
        try (var dirs = Files.list(unpacked)) {
            for (Path candidate : dirs.map(d -> d.resolve("bin/postgres")).filter(Files::isExecutable).toList()) {
                Process p = new ProcessBuilder(candidate.toString(), "--version").redirectErrorStream(true).start();
                String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (version.matches("(?s).*\\(PostgreSQL\\) " + major + "[.\\s].*")) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
