package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Tasks per second through the whole pipeline (plan, three delegations, three judgements,
 * integration) against zero-latency stand-in models over HTTP, on a durable embedded PostgreSQL,
 * and the orchestration overhead per delegation: from storing an attempt to accepting its subtask,
 * which with instant models is all grandpa's own work (two HTTP calls, four transactions).
 *
 * <p>Also what grandpa's model generated per task, by purpose, against what its coders wrote: with
 * {@code coder-tokens=2000-4000} each coder answer has a random size in that range (the stand-ins
 * count a byte as a token), as real deliverables do.
 *
 * <p>Arguments: {@code tasks=N} (default 300), {@code durable=true|false} (default true),
 * {@code coder-tokens=MIN-MAX} (default: the stand-ins' short answers), {@code integrate-limit=N}
 * (grandpa's integration output limit; set it high to measure a build that retypes the deliverables).
 */
public final class PipelineBenchmark {
    public static void main(String[] args) throws Exception {
        int tasks = 300;
        boolean durable = true;
        int[] coderTokens = null;
        String integrateLimit = null;
        for (String arg : args) {
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("durable=")) {
                durable = Boolean.parseBoolean(arg.substring(8));
            } else if (arg.startsWith("coder-tokens=")) {
                String[] range = arg.substring(13).split("-");
                coderTokens = new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
            } else if (arg.startsWith("integrate-limit=")) {
                integrateLimit = arg.substring(16);
            }
        }
        var dir = Files.createTempDirectory("grandpa-bench-pg");
        try (var db = EmbeddedDatabase.start(dir, 0, durable); var models = new Models("coder-a", "coder-b")) {
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.put("logging.level.root", "WARN");
            properties.putAll(models.properties(8, Duration.ofSeconds(30)));
            if (integrateLimit != null) {
                properties.put("grandpa.model.max-tokens.integrate", integrateLimit);
            }
            if (coderTokens != null) {
                int min = coderTokens[0];
                int max = coderTokens[1];
                models.coders.forEach((name, server) -> server.respondWith(call -> Reply.text(sized(
                        StandInCoder.deliverable(name, call), min + new Random(call.last("user").hashCode()).nextInt(max - min + 1)))));
            }
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                run(grandpa, jdbc, 30); // warm-up: JIT, connection pools
                long start = System.nanoTime();
                List<UUID> ids = run(grandpa, jdbc, tasks);
                double seconds = (System.nanoTime() - start) / 1e9;
                report(jdbc, ids, seconds, durable);
            }
        }
    }

    private static List<UUID> run(Grandpa grandpa, JdbcClient jdbc, int count) throws Exception {
        var ids = new ConcurrentLinkedQueue<UUID>();
        try (var clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                clients.submit(() -> ids.add(grandpa.submit("Benchmark task " + n + " " + UUID.randomUUID())));
            }
        }
        var list = new ArrayList<>(ids);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (doneCount(jdbc, list) < list.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tasks did not finish in 10 minutes");
            }
            Thread.sleep(20);
        }
        return list;
    }

    private static long doneCount(JdbcClient jdbc, List<UUID> ids) {
        return jdbc.sql("select count(*) from tasks where status = 'DONE' and id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new)).query(Long.class).single();
    }

    private static void report(JdbcClient jdbc, List<UUID> ids, double seconds, boolean durable) {
        var overhead = jdbc.sql("""
                        select extract(epoch from (acc.created_at - st.created_at)) * 1000
                        from task_events st
                        join task_events acc on acc.task_id = st.task_id and acc.type = 'subtask.accepted'
                             and acc.data ->> 'subtask' = st.data ->> 'subtask'
                        where st.type = 'attempt.started' and st.task_id = any(:ids)""")
                .param("ids", ids.toArray(UUID[]::new)).query(Double.class).list();
        var latency = jdbc.sql("""
                        select extract(epoch from (d.created_at - s.created_at)) * 1000
                        from task_events s join task_events d on d.task_id = s.task_id
                             and d.type = 'status' and d.data ->> 'status' = 'DONE'
                        where s.type = 'submitted' and s.task_id = any(:ids)""")
                .param("ids", ids.toArray(UUID[]::new)).query(Double.class).list();
        var out = new StringBuilder();
        out.append(String.format("machine: %d cores, Java %s, PostgreSQL embedded (%s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), durable ? "fsync on" : "fsync off"));
        out.append(String.format("tasks: %d in %.2f s = %.1f tasks/s (each: 1 plan, 3 delegations, 3 judgements, 1 integration)%n",
                ids.size(), seconds, ids.size() / seconds));
        out.append(String.format("orchestration overhead per delegation (attempt stored -> subtask accepted, %d delegations): "
                + "median %.1f ms, p99 %.1f ms%n", overhead.size(), percentile(overhead, 50), percentile(overhead, 99)));
        out.append(String.format("task latency (submitted -> DONE): median %.0f ms, p99 %.0f ms%n",
                percentile(latency, 50), percentile(latency, 99)));
        var generated = jdbc.sql("""
                        select data ->> 'purpose', sum((data ->> 'predictedTokens')::bigint)
                        from task_events where type = 'model.call' and task_id = any(:ids) group by 1 order by 1""")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list();
        long coders = jdbc.sql("select coalesce(sum(length(output)), 0) from attempts where task_id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new)).query(Long.class).single();
        long grandpaTotal = generated.stream().mapToLong(Map.Entry::getValue).sum();
        out.append("grandpa generated per task:");
        generated.forEach(g -> out.append(String.format(" %s %.0f,", g.getKey(), g.getValue() / (double) ids.size())));
        out.append(String.format(" all %.0f tokens; its coders wrote %.0f tokens (grandpa/coders = %.2f)%n",
                grandpaTotal / (double) ids.size(), coders / (double) ids.size(), grandpaTotal / (double) coders));
        System.out.print(out);
    }

    /** The deliverable, padded with plausible lines to {@code size} characters. */
    static String sized(String deliverable, int size) {
        var text = new StringBuilder(deliverable);
        for (int line = 1; text.length() < size; line++) {
            text.append("    int step").append(line).append(" = compute(").append(line).append(", input); // step ")
                    .append(line).append(" of the implementation\n");
        }
        return text.substring(0, size);
    }

    private static double percentile(List<Double> values, int p) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
