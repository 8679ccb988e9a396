package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A service told to stop (SIGTERM closes the context the same way): what runs finishes, nothing new starts. */
class ShutdownIT {

    @Test
    void runningCallsFinishAndAreStoredNothingNewStartsAndTheClaimsAreHandedBack() {
        var db = TestPostgres.newDatabase();
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a", "coder-b")) {
            models.coders.forEach((name, server) -> server.respondWith(
                    call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofSeconds(2))));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofSeconds(30)));
            var grandpa = Grandpa.start(properties);
            UUID id = grandpa.submit("Finish what you started");
            await().atMost(Duration.ofSeconds(20)).until(() -> count(jdbc, id, "STARTED") == 2); // impl and tests
            grandpa.close();

            assertThat(count(jdbc, id, "SUCCEEDED")).isEqualTo(2); // finished and stored while stopping
            assertThat(count(jdbc, id, "INTERRUPTED")).isZero();
            assertThat(jdbc.sql("select count(*) from attempts where task_id = :id").param("id", id).query(Long.class)
                    .single()).isEqualTo(2); // the third subtask did not start
            assertThat(jdbc.sql("select worker from task_claims where task_id = :id").param("id", id).query(String.class)
                    .optional()).isEmpty(); // handed back, due at once for the next instance
        }
    }

    /**
     * A grace longer than a claim lasts: the stopping instance keeps renewing what it holds while its calls
     * finish, so no other instance takes a task over from under a call that is still running.
     */
    @Test
    void claimsStayRenewedThroughAGraceLongerThanAClaim() throws Exception {
        var db = TestPostgres.newDatabase();
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a")) {
            models.coders.forEach((name, server) -> server.respondWith(
                    call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofSeconds(6))));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofSeconds(30)));
            properties.put("grandpa.engine.claim-for", "2s");
            properties.put("grandpa.engine.shutdown-grace", "10s");
            var grandpa = Grandpa.start(properties);
            UUID id = grandpa.submit("Keep your claim while you finish");
            await().atMost(Duration.ofSeconds(20)).until(() -> count(jdbc, id, "STARTED") == 2);
            // stopped from a thread of its own, as a shutdown hook does (closed from the common pool, one thread on
            // 2 cores, the calls were seen interrupted within the grace: see the session note)
            var closing = new CompletableFuture<Void>();
            Thread.ofPlatform().start(() -> {
                grandpa.close();
                closing.complete(null);
            });
            // for more than a claim lasts, while the calls still run, the claim stays ahead of the clock
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> jdbc.sql(
                    "select claimed_until > now() from task_claims where task_id = :id and worker is not null")
                    .param("id", id).query(Boolean.class).optional().orElse(false));
            assertThat(closing).as("the calls still within their grace").isNotDone();
            closing.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(count(jdbc, id, "SUCCEEDED")).isEqualTo(2);
        }
    }

    @Test
    void anOpenEventStreamEndsWhenTheServiceStopsInsteadOfHoldingItUp() throws Exception {
        try (var models = new Models("coder-a")) {
            models.coders.forEach((name, server) -> server.respondWith(call -> Reply.text("slow").after(Duration.ofSeconds(30))));
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(1, Duration.ofMinutes(1)));
            properties.put("grandpa.engine.shutdown-grace", "1s");
            var grandpa = Grandpa.start(properties);
            UUID id = grandpa.submit("Watched while the service stops");
            CompletableFuture<HttpResponse<String>> stream;
            try (var http = HttpClient.newHttpClient()) {
                stream = http.sendAsync(grandpa.request("/api/tasks/" + id + "/events").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(20)).until(() -> models.coder("coder-a").calls() > 0);
                long start = System.nanoTime();
                grandpa.close();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(stream.get().body()).contains("event:submitted");
                assertThat(took).as("graceful shutdown waits up to 30 s for open requests").isLessThan(Duration.ofSeconds(15));
            }
        }
    }

    static long count(JdbcClient jdbc, UUID task, String status) {
        return jdbc.sql("select count(*) from attempts where task_id = :id and status = :s").param("id", task)
                .param("s", status).query(Long.class).single();
    }
}
