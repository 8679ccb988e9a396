package dev.familiar.grandpa.store.embedded;

import dev.familiar.grandpa.store.backup.DatabaseBackup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A data directory of an older PostgreSQL major version (PostgreSQL 14, which earlier grandpas ran and
 * which reached its end of life) moved to the version grandpa runs now, through grandpa's own backup:
 * the old server is started once more from the binaries kept for this, brought to the current schema
 * and written out; its directory is set aside as {@code postgres.<major>} (kept until the owner deletes
 * it); the new server starts on a fresh directory and everything is restored into it. Should the new
 * one fail, the old directory is put back as it was.
 */
final class EmbeddedUpgrade {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedUpgrade.class);
    /** The major version of the PostgreSQL binaries grandpa ships (the pom's postgres-binaries.version). */
    static final String CURRENT = "18";

    /** What an upgrade set aside: the old directory and the backup that goes into the new one. */
    record SetAside(Path oldDirectory, Path backup, String fromVersion) {}

    private EmbeddedUpgrade() {}

    static boolean needed(Path dataDirectory) throws IOException {
        Path version = dataDirectory.resolve("PG_VERSION");
        return Files.exists(version) && !Files.readString(version).strip().equals(CURRENT);
    }

    /** Starts the old server once more, writes its data out, and sets its directory aside. */
    static SetAside setAside(Path dataDirectory, Credentials credentials) throws IOException {
        String old = Files.readString(dataDirectory.resolve("PG_VERSION")).strip();
        Path backup = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-" + old + "-to-" + CURRENT + ".zip");
        Path kept = dataDirectory.resolveSibling(dataDirectory.getFileName() + "." + old);
        if (Files.exists(kept)) {
            throw new IllegalStateException(kept + " exists already: move it away, then start again to upgrade " + dataDirectory);
        }
        log.info("The embedded PostgreSQL in {} is of version {}: upgrading it to {} (the old data stays in {})",
                dataDirectory, old, CURRENT, kept);
        try (var server = EmbeddedPostgres.builder()
                .setPgBinaryResolver(binaries(old))
                .setRegisterShutdownHook(false)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setConnectConfig("password", credentials.superuser())
                .setDataDirectoryCustomizer(dir -> ClusterLockdown.apply(dir, credentials))
                .start()) {
            OwnerRole.ensure("jdbc:postgresql://localhost:" + server.getPort() + "/template1", credentials);
            var source = new DriverManagerDataSource("jdbc:postgresql://localhost:" + server.getPort() + "/"
                    + OwnerRole.DATABASE, OwnerRole.NAME, credentials.owner());
            Flyway.configure().dataSource(source).load().migrate(); // the backup is restored into the current schema
            try (var out = Files.newOutputStream(backup)) {
                var manifest = DatabaseBackup.write(source, out);
                log.info("Wrote {} tables of PostgreSQL {} to {}", manifest.tables().size(), old, backup);
            }
        }
        Files.move(dataDirectory, kept);
        return new SetAside(kept, backup, old);
    }

    /** Restores what was set aside into the new server's grandpa database. */
    static void restore(SetAside aside, String jdbcUrl, Credentials credentials) throws IOException {
        var target = new DriverManagerDataSource(jdbcUrl, OwnerRole.NAME, credentials.owner());
        Flyway.configure().dataSource(target).load().migrate();
        try (InputStream in = Files.newInputStream(aside.backup())) {
            var manifest = DatabaseBackup.restore(target, in);
            long rows = manifest.tables().values().stream().mapToLong(Long::longValue).sum();
            log.info("Upgraded the embedded PostgreSQL from {} to {}: {} rows restored; the old data is in {} until you "
                    + "delete it", aside.fromVersion(), CURRENT, rows, aside.oldDirectory());
        }
        Files.deleteIfExists(aside.backup());
    }

    /** The new directory goes, the old one comes back as it was. */
    static void putBack(SetAside aside, Path dataDirectory) {
        try {
            if (Files.exists(dataDirectory)) {
                try (var tree = Files.walk(dataDirectory)) {
                    tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.move(aside.oldDirectory(), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not put " + aside.oldDirectory() + " back as " + dataDirectory, e);
        }
    }

    /** The binaries of an older major version, kept in the jar for upgrades (Linux amd64). */
    private static PgBinaryResolver binaries(String major) {
        return (system, hardware) -> {
            String name = "/postgres-upgrade/" + major + "/postgres-" + system.toLowerCase(Locale.ROOT) + "-" + hardware + ".txz";
            InputStream in = EmbeddedUpgrade.class.getResourceAsStream(name);
            if (in == null) {
                throw new IOException("grandpa keeps PostgreSQL " + major + " for upgrades on Linux amd64 only (" + system
                        + " " + hardware + " asked): back it up with the grandpa that made it (grandpa backup) and restore "
                        + "it with this one (grandpa restore)");
            }
            return in;
        };
    }
}
