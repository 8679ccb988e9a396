package dev.familiar.grandpa.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Old finished work is deleted; blocked tasks, and whole answers, stay. */
class RetentionIT {

    @Test
    void finishedTasksAndRelayedPiecesOlderThanTheirAgeAreDeletedAndBlockedTasksKept() {
        var db = TestPostgres.newDatabase();
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a")) {
            models.coders.values().forEach(server -> server.setStreamInterval(Duration.ofMillis(20))); // answers in pieces
            models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("blocked")
                    ? Reply.text("not a plan") : new StandInGrandpa().answer(call));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofSeconds(10)));
            properties.put("grandpa.retention.finished-tasks", "1s");
            properties.put("grandpa.retention.output-events", "1s");
            try (var grandpa = Grandpa.start(properties)) {
                UUID done = grandpa.submit("Finished and forgotten");
                UUID cancelled = grandpa.submit("Cancelled and forgotten");
                grandpa.post("/api/tasks/" + cancelled + "/cancel", "");
                UUID blocked = grandpa.submit("This one stays blocked");
                grandpa.awaitStatus(done, Duration.ofSeconds(30), "DONE");
                grandpa.awaitStatus(blocked, Duration.ofSeconds(30), "BLOCKED");
                assertThat(outputEvents(jdbc)).isPositive();

                await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // older than their age
                var pruned = grandpa.context().getBean(Retention.class).prune();

                assertThat(pruned.tasks()).isEqualTo(2);
                assertThat(grandpa.get("/api/tasks/" + done).status()).isEqualTo(404);
                assertThat(grandpa.get("/api/tasks/" + cancelled).status()).isEqualTo(404);
                assertThat(grandpa.get("/api/tasks/" + blocked).status()).isEqualTo(200);
                assertThat(jdbc.sql("select count(*) from attempts where task_id = :id").param("id", done)
                        .query(Long.class).single()).isZero();
                assertThat(outputEvents(jdbc)).isZero();
                assertThat(grandpa.context().getBean(Retention.class).prune()).isEqualTo(new Retention.Pruned(0, 0));
            }
        }
    }

    static long outputEvents(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from task_events where type = 'attempt.output'").query(Long.class).single();
    }
}
