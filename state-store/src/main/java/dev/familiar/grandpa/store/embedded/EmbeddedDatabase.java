package dev.familiar.grandpa.store.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries zonky ships on Maven Central, with its data in a
 * directory that outlives the process. Durable (fsync and synchronous commit on) unless told
 * otherwise: zonky's own defaults turn both off, which suits tests and loses work on a power cut.
 * It stops when it is closed, not at the first signal the JVM gets (zonky's own shutdown hook would
 * stop it while the service still finishes its work). A server left running by a process that was
 * killed is stopped before a new one starts on the same data.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating the cluster on first use and reusing it after.
     *
     * @param port 0 picks a free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
        try {
            Files.createDirectories(dataDirectory);
            OrphanedServer.stop(dataDirectory);
            var builder = EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(false)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .setServerConfig("max_connections", "200");
            if (port > 0) {
                builder.setPort(port);
            }
            var postgres = builder.start();
            log.info("Embedded PostgreSQL on port {} with data in {} ({})", postgres.getPort(), dataDirectory,
                    durable ? "durable: fsync on" : "NOT durable: fsync off");
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL", e);
        }
    }
}
