package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
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
 * ratio to a lower bound, to the optimum and to the ideal greedy schedule (BENCHMARKS.md says what
 * each is). Tasks run one at a time; each plan is a random DAG of {@code subtasks} jobs.
 *
 * <p>Arguments: {@code tasks=N} (default 10), {@code subtasks=N} (default 12), {@code unit-ms=N} (the
 * fast coder's service time, default 400), {@code first=N} (the first DAG), {@code schedules-only}.
 */
public final class DelegationBenchmark {
    record Coder(String name, long serviceMs, int slots) {}

    /** fast (1 unit, 2 slots), medium (2 units, 2 slots), slow (4 units, 1 slot); the unit is an argument. */
    static List<Coder> CODERS = coders(400);

    static List<Coder> coders(long unitMs) {
        return List.of(new Coder("fast", unitMs, 2), new Coder("medium", 2 * unitMs, 2), new Coder("slow", 4 * unitMs, 1));
    }
    static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int tasks = 10;
        int subtasks = 12;
        boolean schedulesOnly = false;
        int first = 0;
        for (String arg : args) {
            schedulesOnly |= arg.equals("schedules-only");
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("subtasks=")) {
                subtasks = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("first=")) {
                first = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("unit-ms=")) {
                CODERS = coders(Long.parseLong(arg.substring(8)));
            }
        }
        int n = subtasks;
        Map<String, int[][]> dags = new java.util.concurrent.ConcurrentHashMap<>();
        if (schedulesOnly) { // the references alone, without running grandpa
            for (int t = 0; t < tasks; t++) {
                randomDag("dag " + t, n, dags);
                int[][] deps = dags.get("dag " + t);
                System.err.printf(Locale.ROOT, "dag %d: lower bound %.2f s, optimum %.2f s, ideal list schedule %.2f s%n",
                        t, lowerBoundSeconds(deps), optimumSeconds(deps), listScheduleSeconds(deps));
            }
            return;
        }
        var dir = Files.createTempDirectory("grandpa-bench-pg");
        var servers = new ArrayList<StandInLlamaServer>();
        try (var db = EmbeddedDatabase.start(dir, 0, true);
             var grandpaModel = StandInLlamaServer.start("grandpa", call -> {
                 if ("plan".equals(call.schemaName())) {
                     String goal = call.last("user").lines().dropWhile(l -> !l.equals("Goal:")).skip(1).findFirst()
                             .orElse("");
                     return Reply.text(randomDag(goal, n, dags));
                 }
                 return new StandInGrandpa().answer(call);
             })) {
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
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
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var grandpa = Grandpa.start(properties)) {
                for (int i = 0; i < 2; i++) { // warm-up: the router learns each coder's speed
                    grandpa.awaitStatus(grandpa.submit("warm-up " + i), Duration.ofMinutes(2), "DONE");
                }
                var toBound = new ArrayList<Double>();
                var toOptimum = new ArrayList<Double>();
                var toGreedy = new ArrayList<Double>();
                for (int t = first; t < first + tasks; t++) {
                    String goal = "dag " + t;
                    UUID id = grandpa.submit(goal);
                    grandpa.awaitStatus(id, Duration.ofMinutes(5), "DONE");
                    double makespan = makespanSeconds(jdbc, id);
                    int[][] deps = dags.get(goal);
                    double bound = lowerBoundSeconds(deps);
                    double optimum = optimumSeconds(deps);
                    double greedy = listScheduleSeconds(deps);
                    toBound.add(makespan / bound);
                    toOptimum.add(makespan / optimum);
                    toGreedy.add(makespan / greedy);
                    double planned = jdbc.sql("select (data ->> 'makespanMs')::float8 / 1000 from task_events "
                            + "where task_id = :task and type = 'plan.scheduled'").param("task", id).query(Double.class).single();
                    System.err.printf(Locale.ROOT, "%s: makespan %.2f s (grandpa's schedule planned %.2f s); lower bound "
                            + "%.2f s (ratio %.3f), optimum %.2f s (ratio %.3f), ideal list schedule %.2f s (ratio %.3f)%n",
                            goal, makespan, planned, bound, makespan / bound, optimum, makespan / optimum, greedy,
                            makespan / greedy);
                    if (Boolean.getBoolean("bench.trace")) {
                        trace(jdbc, id, deps);
                    }
                }
                System.err.printf(Locale.ROOT, "%d DAGs of %d subtasks on coders %s: makespan / lower bound %s; "
                        + "/ optimum %s (target 1.15); / ideal list schedule %s%n", tasks, n, CODERS, meanAndWorst(toBound),
                        meanAndWorst(toOptimum), meanAndWorst(toGreedy));
            }
        } finally {
            servers.forEach(StandInLlamaServer::close);
        }
    }

    static String meanAndWorst(List<Double> ratios) {
        return String.format(Locale.ROOT, "mean %.3f, worst %.3f", ratios.stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow(), ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    /** Every attempt of the task: its subtask, backend, start, call time and when it was judged. */
    static void trace(JdbcClient jdbc, UUID task, int[][] deps) {
        System.err.println("  plan: " + java.util.Arrays.deepToString(deps) + "\n  schedule: " + jdbc.sql(
                "select data::text from task_events where task_id = :task and type = 'plan.scheduled'")
                .param("task", task).query(String.class).single());
        jdbc.sql("""
                        select s.key, a.backend, a.routing_reason,
                               extract(epoch from a.started_at - min(a.started_at) over ()) as at,
                               a.duration_ms, extract(epoch from e.created_at - a.finished_at) * 1000 as judge_ms
                        from attempts a join subtasks s on s.id = a.subtask_id
                        left join evaluations e on e.attempt_id = a.id
                        where a.task_id = :task order by a.started_at""")
                .param("task", task)
                .query((rs, row) -> String.format(Locale.ROOT, "  %-4s %-6s start %.2f s, call %d ms, judged %.0f ms later; %s",
                        rs.getString(1), rs.getString(2), rs.getDouble(4), rs.getLong(5), rs.getDouble(6), rs.getString(3)))
                .list().forEach(System.err::println);
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

    /**
     * max(critical path at the fastest service time, the least time in which the slots can finish all
     * the jobs at all: the least T with the sum over slots of floor(T / service) at least the jobs).
     */
    static double lowerBoundSeconds(int[][] deps) {
        double fastest = CODERS.stream().mapToLong(Coder::serviceMs).min().orElseThrow() / 1000.0;
        int[] depth = new int[deps.length];
        int longest = 0;
        for (int j = 0; j < deps.length; j++) {
            depth[j] = 1;
            for (int k : deps[j]) {
                depth[j] = Math.max(depth[j], depth[k] + 1);
            }
            longest = Math.max(longest, depth[j]);
        }
        var ends = new ArrayList<Double>();
        for (Coder c : CODERS) {
            for (int slot = 0; slot < c.slots(); slot++) {
                for (int k = 1; k <= deps.length; k++) {
                    ends.add(k * c.serviceMs() / 1000.0);
                }
            }
        }
        ends.sort(null);
        double work = ends.get(deps.length - 1); // the n-th earliest completion over all slots
        return Math.max(longest * fastest, work);
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

    /**
     * The least makespan any schedule reaches, found by search: time runs in steps of the shortest
     * service time (every service time here is a multiple of it), and at each moment a call ends,
     * every way of starting ready jobs on free slots, idling included, is tried; equal states are
     * remembered. Exponential in general; a 12-job DAG takes milliseconds to seconds.
     */
    static final class Optimum {
        private final int jobs;
        /** For each job, the set of jobs it depends on, as bits. */
        private final int[] needs;
        /** For each slot, its service time in steps. */
        private final int[] steps;
        private final Map<String, Integer> memo = new java.util.HashMap<>();

        Optimum(int[][] deps, int[] slotSteps) {
            jobs = deps.length;
            needs = new int[jobs];
            for (int j = 0; j < jobs; j++) {
                for (int d : deps[j]) {
                    needs[j] |= 1 << d;
                }
            }
            steps = slotSteps.clone();
        }

        /** The least makespan, in steps. */
        int solve() {
            int[] job = new int[steps.length];
            java.util.Arrays.fill(job, -1);
            return rest(0, 0, job, new int[steps.length]);
        }

        /** The least time left, from a moment when calls may start; job[s] runs on slot s for left[s] more steps. */
        private int rest(int done, int started, int[] job, int[] left) {
            if (done == (1 << jobs) - 1) {
                return 0;
            }
            String state = done + ":" + started + ":" + java.util.Arrays.toString(job) + java.util.Arrays.toString(left);
            Integer known = memo.get(state);
            if (known != null) {
                return known;
            }
            int ready = 0;
            for (int j = 0; j < jobs; j++) {
                if ((started >> j & 1) == 0 && (needs[j] & ~done) == 0) {
                    ready |= 1 << j;
                }
            }
            int[] free = java.util.stream.IntStream.range(0, steps.length).filter(s -> job[s] < 0).toArray();
            int[] best = {Integer.MAX_VALUE};
            start(free, 0, ready, done, started, job, left, best);
            memo.put(state, best[0]);
            return best[0];
        }

        /** Tries every way to fill free slots i.. with ready jobs or leave them idle. */
        private void start(int[] free, int i, int ready, int done, int started, int[] job, int[] left, int[] best) {
            if (i == free.length) {
                advance(done, started, job, left, best);
                return;
            }
            int slot = free[i];
            start(free, i + 1, ready, done, started, job, left, best);
            // Two free slots of the same speed are alike: the second takes a higher job number, or stays idle too.
            boolean twin = i > 0 && steps[free[i - 1]] == steps[slot];
            if (twin && job[free[i - 1]] < 0) {
                return;
            }
            for (int j = twin ? job[free[i - 1]] + 1 : 0; j < jobs; j++) {
                if ((ready >> j & 1) == 1) {
                    job[slot] = j;
                    left[slot] = steps[slot];
                    start(free, i + 1, ready & ~(1 << j), done, started | 1 << j, job, left, best);
                    job[slot] = -1;
                    left[slot] = 0;
                }
            }
        }

        /** Runs to the next moment a call ends. */
        private void advance(int done, int started, int[] job, int[] left, int[] best) {
            int step = Integer.MAX_VALUE;
            for (int s = 0; s < steps.length; s++) {
                if (job[s] >= 0) {
                    step = Math.min(step, left[s]);
                }
            }
            if (step == Integer.MAX_VALUE) {
                return; // nothing runs and nothing started: no way forward from here
            }
            int[] nextJob = job.clone();
            int[] nextLeft = left.clone();
            int nextDone = done;
            for (int s = 0; s < steps.length; s++) {
                if (nextJob[s] >= 0 && (nextLeft[s] -= step) == 0) {
                    nextDone |= 1 << nextJob[s];
                    nextJob[s] = -1;
                }
            }
            int rest = rest(nextDone, started, nextJob, nextLeft);
            if (rest != Integer.MAX_VALUE) {
                best[0] = Math.min(best[0], step + rest);
            }
        }
    }

    static double optimumSeconds(int[][] deps) {
        long unit = CODERS.stream().mapToLong(Coder::serviceMs).reduce(DelegationBenchmark::gcd).orElseThrow();
        int[] slotSteps = CODERS.stream().flatMapToInt(c -> java.util.stream.IntStream.generate(
                () -> (int) (c.serviceMs() / unit)).limit(c.slots())).toArray();
        return new Optimum(deps, slotSteps).solve() * unit / 1000.0;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
