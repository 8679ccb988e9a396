package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the database costs per task, and whether retention bounds it: {@code tasks} tasks (default
 * 10,000) through the pipeline on instant stand-ins (answers relayed in pieces, as real coders
 * stream), on the durable embedded PostgreSQL. First without retention, for the bytes a task leaves
 * behind; then with a short retention age ({@code keep}, default 30 s, pruning every 10 s), for the
 * size the database settles at however many tasks go through.
 */
public final class RetentionBenchmark {
    public static void main(String[] args) throws Exception {
        int tasks = 10_000;
        int sample = 1_000;
        Duration keep = Duration.ofSeconds(30);
        for (String arg : args) {
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("sample=")) {
                sample = Integer.parseInt(arg.substring(7));
            } else if (arg.startsWith("keep-s=")) {
                keep = Duration.ofSeconds(Long.parseLong(arg.substring(7)));
            }
        }
        System.out.printf("machine: %d cores, Java %s, PostgreSQL embedded (fsync on)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        run(sample, null);
        run(tasks, keep);
    }

    private static void run(int tasks, Duration keep) throws Exception {
        try (var db = EmbeddedDatabase.start(Files.createTempDirectory("grandpa-retention-pg"), 0, true);
             var models = new Models("coder-a", "coder-b")) {
            models.coders.values().forEach(server -> server.setStreamInterval(Duration.ofMillis(2)));
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.put("logging.level.root", "WARN");
            properties.putAll(models.properties(8, Duration.ofSeconds(30)));
            if (keep != null) {
                properties.put("grandpa.retention.finished-tasks", keep.toSeconds() + "s");
                properties.put("grandpa.retention.output-events", keep.toSeconds() + "s");
                properties.put("grandpa.retention.every", "10s");
            }
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                long before = size(jdbc);
                long start = System.nanoTime();
                long peak = before;
                int batch = 200;
                for (int done = 0; done < tasks; done += batch) {
                    try (var clients = Executors.newFixedThreadPool(8)) {
                        for (int i = 0; i < Math.min(batch, tasks - done); i++) {
                            int n = done + i;
                            clients.submit(() -> grandpa.submit("Retention task " + n + " " + UUID.randomUUID()));
                        }
                    }
                    while (jdbc.sql("select count(*) from tasks where status not in ('DONE', 'CANCELLED', 'BLOCKED')")
                            .query(Long.class).single() > 0) {
                        Thread.sleep(200);
                    }
                    peak = Math.max(peak, size(jdbc));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (keep != null) {
                    Thread.sleep(keep.plusSeconds(15).toMillis()); // everything is older than its age, pruning ran
                }
                long after = size(jdbc);
                long stored = jdbc.sql("select count(*) from tasks").query(Long.class).single();
                if (keep == null) {
                    System.out.printf("without retention: %d tasks in %.0f s; database %.1f MiB -> %.1f MiB: %.1f KiB a task%n",
                            tasks, seconds, before / 1048576.0, after / 1048576.0, (after - before) / 1024.0 / tasks);
                } else {
                    System.out.printf("with retention (keep %d s, prune every 10 s): %d tasks in %.0f s; database %.1f MiB at "
                                    + "the start, %.1f MiB at its largest, %.1f MiB at the end with %d task(s) kept%n",
                            keep.toSeconds(), tasks, seconds, before / 1048576.0, peak / 1048576.0, after / 1048576.0, stored);
                }
            }
        }
    }

    private static long size(JdbcClient jdbc) {
        return jdbc.sql("select pg_database_size(current_database())").query(Long.class).single();
    }
}
