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
 * killed is stopped before a new one starts on the same data. Nobody gets in without a password
 * ({@link ClusterLockdown}), and grandpa works as a role that owns its database and nothing more
 * ({@link OwnerRole}); the passwords are generated once and kept owner-only ({@link Credentials}).
 * A data directory of an older major version is upgraded on start ({@link EmbeddedUpgrade}).
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Credentials credentials;
    private final InstanceLock lock;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Credentials credentials, InstanceLock lock) {
        this.postgres = postgres;
        this.credentials = credentials;
        this.lock = lock;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating the cluster on first use and reusing it after.
     *
     * @param port 0 picks a free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
        try {
            Files.createDirectories(dataDirectory.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dataDirectory.getParent(), e);
        }
        InstanceLock lock = InstanceLock.acquire(dataDirectory); // before anything of the data directory is touched
        try {
            return start(dataDirectory, port, durable, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable, InstanceLock lock) {
        try {
            Files.createDirectories(dataDirectory);
            OrphanedServer.stop(dataDirectory); // only the holder of the lock may stop what a dead run left
            var credentials = Credentials.loadOrCreate(dataDirectory);
            var upgrade = EmbeddedUpgrade.needed(dataDirectory) ? EmbeddedUpgrade.setAside(dataDirectory, credentials) : null;
            Files.createDirectories(dataDirectory);
            var builder = EmbeddedPostgres.builder()
                    .setConnectConfig("password", credentials.superuser())
                    .setDataDirectoryCustomizer(dir -> ClusterLockdown.apply(dir, credentials))
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
            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } catch (IOException | RuntimeException e) {
                if (upgrade != null) {
                    EmbeddedUpgrade.putBack(upgrade, dataDirectory);
                }
                throw e;
            }
            try {
                OwnerRole.ensure("jdbc:postgresql://localhost:" + postgres.getPort() + "/template1", credentials);
                if (upgrade != null) {
                    EmbeddedUpgrade.restore(upgrade, "jdbc:postgresql://localhost:" + postgres.getPort() + "/"
                            + OwnerRole.DATABASE, credentials);
                }
            } catch (IOException | RuntimeException e) {
                postgres.close();
                if (upgrade != null) {
                    EmbeddedUpgrade.putBack(upgrade, dataDirectory);
                }
                throw e;
            }
            log.info("Embedded PostgreSQL on port {} with data in {} ({})", postgres.getPort(), dataDirectory,
                    durable ? "durable: fsync on" : "NOT durable: fsync off");
            return new EmbeddedDatabase(postgres, credentials, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** grandpa's database, which {@link #username()} owns. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + OwnerRole.DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    /** grandpa's role: it owns its database and is no superuser. */
    public String username() {
        return OwnerRole.NAME;
    }

    public String password() {
        return credentials.owner();
    }

    /**
     * The superuser's password, for what needs more than grandpa's role (a test server making
     * databases of its own); the service itself never connects with it after the start.
     */
    public String superuserPassword() {
        return credentials.superuser();
    }

    /** Notes the port the service answers on in its lock, for a second start to name. */
    public void servicePort(int port) {
        lock.port(port);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL", e);
        } finally {
            lock.close();
        }
    }
}
