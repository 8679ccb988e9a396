package dev.familiar.grandpa.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.TaskRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The embedded PostgreSQL as a stranger on the same machine meets it: no login without the password,
 * and grandpa's own role can neither run programs nor read the host's files through the server; a data
 * directory an earlier grandpa made (everything trusted, grandpa the superuser) is moved to this with
 * every task kept.
 */
class EmbeddedDatabaseLockdownIT {
    @TempDir
    Path dir;

    @Test
    void nobodyLogsInWithoutThePasswordAndGrandpasRoleIsNoSuperuser() throws Exception {
        Path data = dir.resolve("postgres");
        try (var db = EmbeddedDatabase.start(data, 0, false)) {
            String url = "jdbc:postgresql://localhost:" + db.port() + "/";
            for (String user : List.of("postgres", "grandpa")) {
                for (String database : List.of("postgres", "grandpa", "template1")) {
                    assertThatThrownBy(() -> DriverManager.getConnection(url + database, user, "").close())
                            .as(user + "@" + database).isInstanceOf(SQLException.class);
                    assertThatThrownBy(() -> DriverManager.getConnection(url + database, user, "guess").close())
                            .as(user + "@" + database).hasMessageContaining("password authentication failed");
                }
            }
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainIgnoringCase("trust")
                    .contains("scram-sha-256");
            assertThat(Files.getPosixFilePermissions(Credentials.fileOf(data)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));

            try (var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password()); var st = c.createStatement()) {
                var who = st.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user");
                assertThat(who.next()).isTrue();
                assertThat(List.of(who.getBoolean(1), who.getBoolean(2), who.getBoolean(3))).containsOnly(false);
                Path marker = dir.resolve("ran-" + UUID.randomUUID());
                assertThatThrownBy(() -> st.execute("COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'"))
                        .hasMessageMatching("(?s).*(must be superuser|permission denied).*");
                assertThat(marker).doesNotExist();
                assertThatThrownBy(() -> st.executeQuery("SELECT pg_read_file('/etc/passwd')"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> st.execute("COPY (SELECT 1) TO '" + dir.resolve("out.csv") + "'"))
                        .hasMessageMatching("(?s).*(must be superuser|permission denied).*");
                st.execute("CREATE TABLE mine (id int)"); // it owns its database
                st.execute("DROP TABLE mine");
            }
        }
    }

    @Test
    void aPostgres14DirectoryAnEarlierGrandpaMadeIsUpgradedAndMovedToItsOwnRoleWithEveryTask() throws Exception {
        Path data = dir.resolve("postgres");
        var ids = new java.util.ArrayList<UUID>();
        // as grandpa made them until now: PostgreSQL 14, zonky's defaults (every local connection trusted), the
        // superuser's database
        try (var old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPgBinaryResolver((system, hardware) -> getClass().getResourceAsStream("/postgres-upgrade/14/postgres-"
                        + system.toLowerCase(java.util.Locale.ROOT) + "-" + hardware + ".txz"))
                .setRegisterShutdownHook(false).start()) {
            var source = new DriverManagerDataSource(old.getJdbcUrl("postgres", "postgres"), "postgres", "");
            Flyway.configure().dataSource(source).load().migrate();
            var tasks = new TaskRepository(JdbcClient.create(source));
            for (int i = 0; i < 5; i++) {
                ids.add(tasks.insert(new NewTask("task " + i, "goal " + i, null, List.of("old"), 0, null, null, null)).task().id());
            }
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");
        assertThat(Files.readString(data.resolve("PG_VERSION")).strip()).isEqualTo("14");

        try (var db = EmbeddedDatabase.start(data, 0, false)) {
            assertThat(JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()))
                    .sql("SHOW server_version").query(String.class).single()).startsWith(EmbeddedUpgrade.CURRENT + ".");
            var source = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
            Flyway.configure().dataSource(source).load().migrate(); // as the service does at start, as its own role
            var tasks = new TaskRepository(JdbcClient.create(source));
            for (UUID id : ids) {
                assertThat(tasks.find(id)).as("task " + id).isPresent();
            }
            assertThat(tasks.insert(new NewTask("new", "after the move", null, List.of(), 0, null, null, null)).created())
                    .isTrue();
            var owners = JdbcClient.create(source).sql("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'").query(String.class).list();
            assertThat(owners).containsExactly("grandpa");
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainIgnoringCase("trust");
        assertThat(dir.resolve("postgres.14").resolve("PG_VERSION")).as("the old data, kept").exists();
        try (var again = EmbeddedDatabase.start(data, 0, false)) { // and the next start finds it as it left it
            var tasks = new TaskRepository(JdbcClient.create(new DriverManagerDataSource(again.jdbcUrl(), again.username(),
                    again.password())));
            assertThat(tasks.count(java.util.EnumSet.allOf(dev.familiar.grandpa.store.task.TaskStatus.class))).isEqualTo(6);
        }
    }
}
