package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.demo.StandInCoder;
import dev.familiar.grandpa.core.demo.StandInGrandpa;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.runtime.standin.Reply;
import dev.familiar.grandpa.runtime.standin.StandInLlamaServer;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makespan of random subtask DAGs on heterogeneous stand-in coders with known service times, as a
 * ratio to the lower bound max(critical path at the fastest service time, total work over the
 * coders' total rate). Tasks run one at a time; each plan is a random DAG of {@code subtasks} jobs.
 *
 * <p>Arguments: {@code tasks=N} (default 10), {@code subtasks=N} (default 12).
 */
public final class DelegationBenchmark {
    record Coder(String name, long serviceMs, int slots) {}

    static final List<Coder> CODERS = List.of(new Coder("fast", 400, 2), new Coder("medium", 800, 2),
            new Coder("slow", 1600, 1));
    static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int tasks = 10;
        int subtasks = 12;
        for (String arg : args) {
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("subtasks=")) {
                subtasks = Integer.parseInt(arg.substring(9));
            }
        }
        int n = subtasks;
        Map<String, int[][]> dags = new java.util.concurrent.ConcurrentHashMap<>();
        var dir = Files.createTempDirectory("grandpa-bench-pg");
        var servers = new ArrayList<StandInLlamaServer>();
        try (var db = EmbeddedDatabase.start(dir, 0, true);
             var grandpaModel = StandInLlamaServer.start("grandpa", call -> {
                 if ("plan".equals(call.schemaName())) {
                     String goal = call.last("user").lines().skip(1).findFirst().orElse("");
                     return Reply.text(randomDag(goal, n, dags));
                 }
                 return new StandInGrandpa().answer(call);
             })) {
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), "");
            properties.put("logging.level.root", "WARN");
            properties.put("grandpa.model.base-url", grandpaModel.baseUrl());
            properties.put("grandpa.engine.max-subtasks", n);
            for (int i = 0; i < CODERS.size(); i++) {
                Coder c = CODERS.get(i);
                var server = StandInLlamaServer.start(c.name(), call ->
                        Reply.text(StandInCoder.deliverable(c.name(), call)).after(Duration.ofMillis(c.serviceMs())));
                servers.add(server);
                properties.put("grandpa.backends[" + i + "].name", c.name());
                properties.put("grandpa.backends[" + i + "].base-url", server.baseUrl());
                properties.put("grandpa.backends[" + i + "].slots", c.slots());
                properties.put("grandpa.backends[" + i + "].capabilities", "code");
            }
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), ""));
            try (var grandpa = Grandpa.start(properties)) {
                for (int i = 0; i < 2; i++) { // warm-up: the router learns each coder's speed
                    grandpa.awaitStatus(grandpa.submit("warm-up " + i), Duration.ofMinutes(2), "DONE");
                }
                var ratios = new ArrayList<Double>();
                var toGreedy = new ArrayList<Double>();
                for (int t = 0; t < tasks; t++) {
                    String goal = "dag " + t;
                    UUID id = grandpa.submit(goal);
                    grandpa.awaitStatus(id, Duration.ofMinutes(5), "DONE");
                    double makespan = makespanSeconds(jdbc, id);
                    double bound = lowerBoundSeconds(dags.get(goal));
                    double greedy = listScheduleSeconds(dags.get(goal));
                    ratios.add(makespan / bound);
                    toGreedy.add(makespan / greedy);
                    System.err.printf(Locale.ROOT, "%s: makespan %.2f s, lower bound %.2f s, ratio %.3f; "
                            + "ideal list schedule %.2f s, ratio %.3f%n", goal, makespan, bound, makespan / bound,
                            greedy, makespan / greedy);
                    if (Boolean.getBoolean("bench.trace")) {
                        jdbc.sql("""
                                select s.key, a.backend,
                                       extract(epoch from a.started_at - min(a.started_at) over ()) as at,
                                       a.duration_ms, extract(epoch from e.created_at - a.finished_at) * 1000 as judge_ms
                                from attempts a join subtasks s on s.id = a.subtask_id
                                left join evaluations e on e.attempt_id = a.id
                                where a.task_id = :task order by a.started_at""")
                                .param("task", id)
                                .query((rs, row) -> String.format(Locale.ROOT, "  %-4s %-6s start %.2f s, call %d ms, judged %.0f ms later",
                                        rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getDouble(5)))
                                .list().forEach(System.err::println);
                    }
                }
                double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                System.err.printf(Locale.ROOT, "%d DAGs of %d subtasks on coders %s: makespan / lower bound mean %.3f, "
                        + "worst %.3f (target 1.15); makespan / ideal list schedule mean %.3f, worst %.3f%n", tasks, n,
                        CODERS, mean, max, toGreedy.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                        toGreedy.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            }
        } finally {
            servers.forEach(StandInLlamaServer::close);
        }
    }

    /** Each job depends on each earlier one with probability 0.25; the DAG is kept for the bound. */
    static String randomDag(String goal, int n, Map<String, int[][]> dags) {
        var random = new Random(goal.hashCode());
        int[][] deps = new int[n][];
        var jobs = new ArrayList<Map<String, Object>>();
        for (int j = 0; j < n; j++) {
            var d = new ArrayList<Integer>();
            for (int k = 0; k < j; k++) {
                if (random.nextDouble() < 0.25) {
                    d.add(k);
                }
            }
            deps[j] = d.stream().mapToInt(Integer::intValue).toArray();
            jobs.add(Map.of("id", "j" + j, "title", "Job " + j, "instructions", "Do job " + j, "kind", "code",
                    "capability", "code", "depends_on", d.stream().map(k -> "j" + k).toList(),
                    "acceptance_criteria", List.of()));
        }
        dags.put(goal, deps);
        return JSON.writeValueAsString(Map.of("summary", "random DAG", "subtasks", jobs));
    }

    static double lowerBoundSeconds(int[][] deps) {
        double fastest = CODERS.stream().mapToLong(Coder::serviceMs).min().orElseThrow() / 1000.0;
        double rate = CODERS.stream().mapToDouble(c -> c.slots() / (c.serviceMs() / 1000.0)).sum();
        int[] depth = new int[deps.length];
        int longest = 0;
        for (int j = 0; j < deps.length; j++) {
            depth[j] = 1;
            for (int k : deps[j]) {
                depth[j] = Math.max(depth[j], depth[k] + 1);
            }
            longest = Math.max(longest, depth[j]);
        }
        return Math.max(longest * fastest, deps.length / rate);
    }

    /**
     * The makespan an ideal greedy scheduler reaches with no overhead at all: jobs in order of their
     * longest remaining chain, each as soon as its dependencies finish, on the slot where it finishes
     * first. What grandpa's engine could reach at best with the same kind of decisions.
     */
    static double listScheduleSeconds(int[][] deps) {
        int n = deps.length;
        int[] chain = new int[n];
        for (int j = n - 1; j >= 0; j--) {
            chain[j] = 1;
            for (int k = j + 1; k < n; k++) {
                for (int d : deps[k]) {
                    if (d == j) {
                        chain[j] = Math.max(chain[j], chain[k] + 1);
                    }
                }
            }
        }
        var slots = new ArrayList<double[]>(); // {free at, service seconds}
        for (Coder c : CODERS) {
            for (int i = 0; i < c.slots(); i++) {
                slots.add(new double[] {0, c.serviceMs() / 1000.0});
            }
        }
        double[] finish = new double[n];
        boolean[] done = new boolean[n];
        for (int scheduled = 0; scheduled < n; scheduled++) {
            int next = -1;
            double nextReady = 0;
            for (int j = 0; j < n; j++) {
                if (done[j]) {
                    continue;
                }
                boolean ready = true;
                double at = 0;
                for (int d : deps[j]) {
                    ready &= done[d];
                    at = Math.max(at, finish[d]);
                }
                if (ready && (next < 0 || at < nextReady - 1e-9
                        || (Math.abs(at - nextReady) < 1e-9 && chain[j] > chain[next]))) {
                    next = j;
                    nextReady = at;
                }
            }
            double[] best = null;
            for (double[] slot : slots) {
                if (best == null || Math.max(slot[0], nextReady) + slot[1] < Math.max(best[0], nextReady) + best[1]) {
                    best = slot;
                }
            }
            finish[next] = Math.max(best[0], nextReady) + best[1];
            best[0] = finish[next];
            done[next] = true;
        }
        return java.util.Arrays.stream(finish).max().orElse(0);
    }

    /** From the first call to a coder to the last subtask accepted, as the database recorded them. */
    static double makespanSeconds(JdbcClient jdbc, UUID task) {
        return jdbc.sql("""
                        select extract(epoch from (max(created_at) filter (where type = 'subtask.accepted')
                                                 - min(created_at) filter (where type = 'attempt.started')))
                        from task_events where task_id = :task""")
                .param("task", task).query(Double.class).single();
    }
}
