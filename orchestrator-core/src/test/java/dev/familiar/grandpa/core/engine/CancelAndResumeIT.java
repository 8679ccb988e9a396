package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Cancel stops the work in progress; resume never loses a task, whatever it races with. */
class CancelAndResumeIT {

    @Test
    void cancelStopsTheCallsInProgressAndNothingNewStarts() {
        var db = TestPostgres.newDatabase();
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a", "coder-b")) {
            models.coders.forEach((name, server) -> server.respondWith(call -> Reply.text("late").after(Duration.ofSeconds(20))));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofMinutes(1)));
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Cancel me while I work");
                await().atMost(Duration.ofSeconds(20)).until(() -> attempts(jdbc, id, "STARTED") == 2);
                int modelCalls = models.grandpa.calls();

                assertThat(grandpa.post("/api/tasks/" + id + "/cancel", "").status()).isEqualTo(200);

                // the two calls are cut off and marked, well before the coders would have answered
                await().atMost(Duration.ofSeconds(5)).until(() -> attempts(jdbc, id, "INTERRUPTED") == 2);
                await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql("select count(*) from task_claims where task_id = :id")
                        .param("id", id).query(Long.class).single() == 0);
                assertThat(attempts(jdbc, id, null)).isEqualTo(2);
                assertThat(models.grandpa.calls()).isEqualTo(modelCalls);
                assertThat(grandpa.task(id).path("status").asString()).isEqualTo("CANCELLED");
            }
        }
    }

    @Test
    void resumingTasksTheMomentTheyBlockStrandsNone() throws Exception {
        var db = TestPostgres.newDatabase();
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a")) {
            // every plan is refused, so every task blocks after two answers, again after each resume
            models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) ? Reply.text("not a plan")
                    : new StandInGrandpa().answer(call));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(1, Duration.ofSeconds(10)));
            try (var grandpa = Grandpa.start(properties)) {
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < 40; i++) {
                    ids.add(grandpa.submit("Blocked and resumed " + i));
                }
                var resumes = new AtomicInteger();
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (resumes.get() < 400 && System.nanoTime() < until) {
                    for (UUID id : ids) {
                        if (grandpa.post("/api/tasks/" + id + "/resume", "").status() == 202) {
                            resumes.incrementAndGet();
                        }
                    }
                }
                assertThat(resumes.get()).as("resumes").isGreaterThan(200);
                // none is stranded: each blocks again by itself, and no task that needs work lacks a claim
                for (UUID id : ids) {
                    grandpa.awaitStatus(id, Duration.ofSeconds(60), "BLOCKED");
                }
                assertThat(jdbc.sql("""
                        select count(*) from tasks t where t.status in ('QUEUED','PLANNING','RUNNING','INTEGRATING','WAITING')
                          and not exists (select 1 from task_claims c where c.task_id = t.id)""").query(Long.class).single())
                        .isZero();
            }
        }
    }

    static long attempts(JdbcClient jdbc, UUID task, String status) {
        return jdbc.sql("select count(*) from attempts where task_id = :id and (:status::text is null or status = :status)")
                .param("id", task).param("status", status).query(Long.class).single();
    }
}
