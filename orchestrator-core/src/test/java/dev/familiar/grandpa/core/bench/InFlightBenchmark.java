package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Many tasks in flight on one instance with the default step threads: {@code tasks} tasks (default
 * 1,000) whose coder calls each take {@code call-s} seconds (default 30) on stand-in coders with
 * enough slots for all of them, on the durable embedded PostgreSQL. Prints how many tasks had a coder
 * call in flight at once, the platform threads of the JVM at their peak, and each task's time from
 * submission to DONE (a starved task would show as a maximum far above the median).
 */
public final class InFlightBenchmark {
    public static void main(String[] args) throws Exception {
        int tasks = 1000;
        int callSeconds = 30;
        for (String arg : args) {
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("call-s=")) {
                callSeconds = Integer.parseInt(arg.substring(7));
            }
        }
        var dir = Files.createTempDirectory("grandpa-bench-pg");
        var coders = new String[] {"coder-a", "coder-b", "coder-c", "coder-d", "coder-e", "coder-f", "coder-g", "coder-h"};
        Duration call = Duration.ofSeconds(callSeconds);
        try (var db = EmbeddedDatabase.start(dir, 0, true); var models = new Models(coders)) {
            models.coders.forEach((name, server) -> server.respondWith(
                    c -> Reply.text(StandInCoder.deliverable(name, c)).after(call)));
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.put("logging.level.root", "WARN");
            properties.putAll(models.properties(256, call.multipliedBy(4)));
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                long start = System.nanoTime();
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < tasks; i++) {
                    ids.add(grandpa.submit("In-flight task " + i));
                }
                var peakInFlight = new AtomicInteger();
                var peakThreads = new AtomicInteger();
                var watching = new AtomicBoolean(true);
                var watcher = Thread.ofPlatform().start(() -> {
                    while (watching.get()) {
                        peakInFlight.accumulateAndGet(jdbc.sql("select count(distinct task_id) from attempts where status = 'STARTED'")
                                .query(Integer.class).single(), Math::max);
                        peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (jdbc.sql("select count(*) from tasks where status = 'DONE'").query(Long.class).single() < tasks) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("tasks did not finish in 30 minutes");
                    }
                    Thread.sleep(500);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                watching.set(false);
                watcher.join();
                var latency = jdbc.sql("""
                                select extract(epoch from (d.created_at - s.created_at))
                                from task_events s join task_events d on d.task_id = s.task_id
                                     and d.type = 'status' and d.data ->> 'status' = 'DONE'
                                where s.type = 'submitted'""").query(Double.class).list();
                Collections.sort(latency);
                System.out.printf("machine: %d cores, Java %s, PostgreSQL embedded (fsync on), %d step threads%n",
                        Runtime.getRuntime().availableProcessors(), Runtime.version(), 4);
                System.out.printf("%d tasks, coder calls of %d s, %d coders x 256 slots: all DONE in %.1f s%n",
                        tasks, callSeconds, coders.length, seconds);
                System.out.printf("tasks with a coder call in flight at once, at the peak: %d%n", peakInFlight.get());
                System.out.printf("platform threads of the JVM at the peak: %d%n", peakThreads.get());
                System.out.printf("submitted -> DONE: min %.1f s, median %.1f s, p99 %.1f s, max %.1f s%n",
                        latency.getFirst(), at(latency, 50), at(latency, 99), latency.getLast());
            }
        }
    }

    private static double at(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
