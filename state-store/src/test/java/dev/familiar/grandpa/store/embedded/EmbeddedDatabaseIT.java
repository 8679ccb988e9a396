package dev.familiar.grandpa.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A grandpa killed with its embedded PostgreSQL still running: the next start comes up on the first try. */
class EmbeddedDatabaseIT {
    @TempDir
    Path dir;

    @Test
    void theServerAKilledProcessLeftIsStoppedAndTheNextStartKeepsItsData() throws Exception {
        Path dir = this.dir.resolve("postgres");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var killed = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KilledServiceMain.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        var ready = new CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(killed.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        });
        ready.get(90, TimeUnit.SECONDS);
        killed.destroyForcibly().waitFor(); // kill -9: its PostgreSQL keeps running, its lock file stays
        long orphan = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).getFirst().strip());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        try (var db = EmbeddedDatabase.start(dir, 0, true);
             var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             var rows = c.createStatement().executeQuery("select note from survived")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("written before the kill");
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
