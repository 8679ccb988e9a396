package dev.familiar.grandpa.store.testing;

import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per test JVM: a Testcontainers container where a Docker engine is
 * reachable, otherwise the embedded server (fsync off: tests need speed, not durability). Every
 * caller of {@link #newDatabase()} gets a database of its own on that server.
 */
public final class TestPostgres {
    public record Database(String jdbcUrl, String username, String password) {}

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    private record Server(String host, int port, String username, String password) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private TestPostgres() {}

    public static synchronized Database newDatabase() {
        Server s = server();
        String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (var c = DriverManager.getConnection(s.url("postgres"), s.username(), s.password());
             var st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new Database(s.url(name), s.username(), s.password());
    }

    /** A pooled data source on a new database with grandpa's schema migrated; close it after use. */
    public static com.zaxxer.hikari.HikariDataSource migratedDataSource() {
        Database db = newDatabase();
        var pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setUsername(db.username());
        pool.setPassword(db.password());
        org.flywaydb.core.Flyway.configure().dataSource(pool).load().migrate();
        return pool;
    }

    private static Server server() {
        if (server != null) {
            return server;
        }
        if (dockerAvailable()) {
            var container = new PostgreSQLContainer("postgres:18-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            server = new Server(container.getHost(), container.getMappedPort(5432),
                    container.getUsername(), container.getPassword());
        } else {
            try {
                Path dir = Files.createTempDirectory("grandpa-test-pg");
                var db = EmbeddedDatabase.start(dir.resolve("postgres"), 0, false);
                Runtime.getRuntime().addShutdownHook(new Thread(db::close));
                server = new Server("localhost", db.port(), "postgres", db.superuserPassword());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
