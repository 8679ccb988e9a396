package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * How fast the dashboard's API answers over a large history: {@code attempts} attempts (default
 * 1,000,000) on 300,000 subtasks of 100,000 tasks, each judged, spread over the last 7 days, and a model
 * call for every task, written straight into the embedded PostgreSQL (fsync on, as the service runs
 * it); then {@code requests} requests (default 50) of each page's calls, timed at the client: p50 and p99.
 */
public final class DashboardBenchmark {
    public static void main(String[] args) throws Exception {
        int attempts = 1_000_000;
        int requests = 50;
        for (String arg : args) {
            if (arg.startsWith("attempts=")) {
                attempts = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("requests=")) {
                requests = Integer.parseInt(arg.substring(9));
            }
        }
        int tasks = Math.max(1, attempts / 10);
        try (var db = EmbeddedDatabase.start(Files.createTempDirectory("grandpa-dashboard-pg"), 0, true);
             var models = new Models("coder-a", "coder-b")) {
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.put("logging.level.root", "WARN");
            properties.putAll(models.properties(2, java.time.Duration.ofSeconds(30)));
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                long start = System.nanoTime();
                fill(jdbc, tasks, attempts);
                jdbc.sql("analyze").update();
                System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, PostgreSQL embedded (fsync on)%n",
                        Runtime.getRuntime().availableProcessors(), Runtime.version());
                System.out.printf(Locale.ROOT, "history: %,d tasks, %,d subtasks, %,d attempts, %,d evaluations, %,d model calls "
                                + "(written in %.0f s)%n", count(jdbc, "tasks"), count(jdbc, "subtasks"), count(jdbc, "attempts"),
                        count(jdbc, "evaluations"), jdbc.sql("select count(*) from task_events where type = 'model.call'")
                                .query(Long.class).single(), (System.nanoTime() - start) / 1e9);
                String someTask = jdbc.sql("select id::text from tasks order by created_at desc limit 1").query(String.class).single();
                for (String path : List.of("/api/tasks?size=50", "/api/tasks/" + someTask, "/api/backends",
                        "/api/stats/delegations?range=hour", "/api/stats/delegations?range=day",
                        "/api/stats/delegations?range=week", "/api/stats/model?range=day", "/api/stats/model?range=week",
                        "/api/runtime")) {
                    grandpa.get(path); // warm
                    var ms = new ArrayList<Double>();
                    for (int i = 0; i < requests; i++) {
                        long t = System.nanoTime();
                        var response = grandpa.get(path);
                        ms.add((System.nanoTime() - t) / 1e6);
                        if (response.status() != 200) {
                            throw new IllegalStateException(path + " answered " + response.status());
                        }
                    }
                    Collections.sort(ms);
                    System.out.printf(Locale.ROOT, "  %-38s p50 %7.1f ms   p99 %7.1f ms%n", path.startsWith("/api/tasks/")
                            ? "/api/tasks/{id}" : path, ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, ms.size() * 99 / 100)));
                }
            }
        }
    }

    private static long count(JdbcClient jdbc, String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    /** The history, made by PostgreSQL itself: tasks over 7 days, three subtasks each, attempts spread over them. */
    private static void fill(JdbcClient jdbc, int tasks, int attempts) {
        jdbc.sql("""
                insert into tasks (id, title, goal, status, plan_version, result, created_at, updated_at)
                select gen_random_uuid(), 'task ' || g, 'goal of task ' || g, 'DONE', 1, 'done',
                       now() - (g * interval '7 days' / :tasks), now() - (g * interval '7 days' / :tasks)
                from generate_series(1, :tasks) g""").param("tasks", tasks).update();
        jdbc.sql("""
                insert into subtasks (id, task_id, plan_version, key, position, title, instructions, kind, capability,
                                      status, created_at, updated_at)
                select gen_random_uuid(), t.id, 1, k.key, k.pos, k.key, 'do ' || k.key, k.key, k.capability, 'ACCEPTED',
                       t.created_at, t.created_at
                from tasks t cross join (values ('impl', 0, 'code'), ('tests', 1, 'tests'), ('docs', 2, 'docs'))
                     as k(key, pos, capability)""").update();
        // attempts: every subtask once, then more on a share of them, until the count is reached
        jdbc.sql("""
                insert into attempts (task_id, subtask_id, number, backend, routing_reason, status, output, prompt_tokens,
                                      completion_tokens, started_at, finished_at, duration_ms)
                select s.task_id, s.id, n, case when (hashtext(s.id::text) + n) % 3 = 0 then 'coder-b' else 'coder-a' end,
                       'capability ' || s.capability, case when n % 4 = 0 then 'FAILED' else 'SUCCEEDED' end, 'output',
                       800, 400, s.created_at + n * interval '1 second', s.created_at + n * interval '2 seconds', 1000 + n
                from (select s.*, row_number() over (order by s.id) as r, count(*) over () as total from subtasks s) s
                cross join generate_series(1, 4) n
                where n = 1 or s.r <= least(s.total, greatest(0, :attempts - s.total - (n - 2) * s.total))""").param("attempts", attempts).update();
        jdbc.sql("""
                insert into evaluations (task_id, subtask_id, attempt_id, verdict, score, feedback, checks, judged_by, created_at)
                select a.task_id, a.subtask_id, a.id, case when a.id % 5 = 0 then 'REVISE' else 'PASS' end, 0.9, 'fine',
                       '[]', 'grandpa', a.finished_at
                from attempts a where a.status = 'SUCCEEDED'""").update();
        // what the ledger counts as each outcome is stored (the same aggregation V11 makes of older history)
        jdbc.sql("""
                insert into delegation_history (bucket, backend, capability, passed, failed)
                select date_bin('5 minutes', a.finished_at, timestamptz '1970-01-01 00:00:00+00'), a.backend, s.capability,
                       count(*) filter (where a.status = 'SUCCEEDED' and e.verdict = 'PASS'),
                       count(*) filter (where a.status = 'FAILED' or e.verdict in ('REVISE', 'FAIL'))
                from attempts a join subtasks s on s.id = a.subtask_id left join evaluations e on e.attempt_id = a.id
                where a.status in ('SUCCEEDED', 'FAILED')
                group by 1, 2, 3""").update();
        jdbc.sql("""
                insert into task_events (task_id, type, data, created_at)
                select t.id, 'model.call', jsonb_build_object('purpose', 'plan', 'promptTokens', 3000, 'cachedTokens', 2900,
                       'promptMs', 500, 'promptPerSecond', 200, 'predictedTokens', 400, 'predictedMs', 22000,
                       'predictedPerSecond', 18, 'firstTokenMs', 600, 'wallMs', 23000,
                       'model', case when hashtext(t.id::text) % 2 = 0 then 'glm-5.1' else 'qwen3.5' end), t.created_at
                from tasks t""").update();
    }
}
