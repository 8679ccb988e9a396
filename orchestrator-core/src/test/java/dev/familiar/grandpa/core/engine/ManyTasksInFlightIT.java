package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A waiting task holds no thread: with the default four step threads, 200 tasks whose coder calls
 * take 10 s are all in flight at once on one instance, every one of them finishes, and the JVM's
 * platform threads grow by far less than one a task (coder calls run on virtual threads).
 */
class ManyTasksInFlightIT {
    static final int TASKS = 200;

    @Test
    void twoHundredTasksWithSlowCodersAreAllInFlightAtOnceAndAllFinish() throws Exception {
        var db = TestPostgres.newDatabase();
        try (var models = new Models("coder-a", "coder-b")) {
            models.coders.forEach((name, server) -> server.respondWith(
                    call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofSeconds(10))));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(256, Duration.ofMinutes(1)));
            properties.put("logging.level.root", "WARN");
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < TASKS; i++) {
                    ids.add(grandpa.submit("Slow task " + i));
                }
                var peakInFlight = new AtomicInteger();
                var peakThreads = new AtomicInteger();
                var watching = new AtomicBoolean(true);
                var watcher = Thread.ofPlatform().start(() -> {
                    while (watching.get()) {
                        int inFlight = jdbc.sql("select count(distinct task_id) from attempts where status = 'STARTED'")
                                .query(Integer.class).single();
                        peakInFlight.accumulateAndGet(inFlight, Math::max);
                        peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                        try {
                            Thread.sleep(200); // sampling, not waiting for a result
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                try {
                    for (UUID id : ids) {
                        grandpa.awaitStatus(id, Duration.ofMinutes(3), "DONE");
                    }
                } finally {
                    watching.set(false);
                    watcher.join();
                }
                assertThat(peakInFlight.get()).as("tasks with a coder call in flight at once").isEqualTo(TASKS);
                // The JVM's platform threads (other tests' leftovers included) grow by far less than a thread a task.
                assertThat(peakThreads.get() - threadsBefore).as("platform threads added while %d tasks ran (%d before)",
                        TASKS, threadsBefore).isLessThan(TASKS / 2);
            }
        }
    }
}
