package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import dev.familiar.grandpa.testkit.scripted.OneStepGrandpa;
import dev.familiar.grandpa.testkit.scripted.SuiteCoder;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The starter suite run through the whole service with instant stand-ins (grandpa plans one subtask, the coder
 * writes the known solution at once), on a durable embedded PostgreSQL: the run's wall time, and per case the
 * time to end, the time its commands took in the sandbox (the visible check on the attempt and on the branch),
 * and what is left: grandpa's own overhead per case (the held-out check, run after the task ends, is apart).
 *
 * <p>Arguments: {@code parallel=N} (default 4), {@code repeat=N} (default 1).
 */
public final class EvalRunBenchmark {
    public static void main(String[] args) throws Exception {
        int parallel = 4;
        int repeat = 1;
        for (String arg : args) {
            if (arg.startsWith("parallel=")) {
                parallel = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("repeat=")) {
                repeat = Integer.parseInt(arg.substring(7));
            }
        }
        Path starter = Path.of("evals/starter").toAbsolutePath();
        if (!Files.isDirectory(starter)) {
            starter = Path.of("../evals/starter").toAbsolutePath().normalize();
        }
        Path root = Files.createTempDirectory("grandpa-bench-evals");
        try (var db = EmbeddedDatabase.start(root.resolve("pg"), 0, true);
             var grandpaModel = StandInLlamaServer.start("stand-in-grandpa", new OneStepGrandpa());
             var coder = StandInLlamaServer.start("coder", new SuiteCoder(starter, SuiteCoder.Behaviour.SOLVES, 0))) {
            var p = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            p.put("logging.level.root", "WARN");
            p.put("grandpa.model.base-url", grandpaModel.baseUrl());
            p.put("grandpa.backends[0].name", "coder");
            p.put("grandpa.backends[0].base-url", coder.baseUrl());
            p.put("grandpa.backends[0].slots", "8");
            p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
            p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
            p.put("grandpa.evals.suites[0]", starter.toString());
            p.put("grandpa.evals.dir", root.resolve("data/evals").toString());
            p.put("grandpa.evals.poll-interval", "200ms");
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            try (var service = Grandpa.start(p)) {
                run(service, "warm-up", 4, 1); // JIT, connection pools, the sandbox's first start
                long start = System.nanoTime();
                JsonNode run = run(service, "measured", parallel, repeat);
                double wall = (System.nanoTime() - start) / 1e9;
                report(run, jdbc, wall, parallel);
            }
        }
    }

    private static JsonNode run(Grandpa service, String label, int parallel, int repeat) throws InterruptedException {
        var response = service.post("/api/evals/runs", Grandpa.JSON.writeValueAsString(Map.of("suite", "starter",
                "label", label, "parallel", parallel, "repeat", repeat)));
        if (response.status() != 201) {
            throw new IllegalStateException(response.text());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = service.get("/api/evals/runs/" + label).body();
            if (run.path("status").asString().equals("FINISHED")) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the run did not finish in 20 minutes");
    }

    private static void report(JsonNode run, JdbcClient jdbc, double wall, int parallel) {
        var toEnd = new ArrayList<Double>();
        var checks = new ArrayList<Double>();
        var overhead = new ArrayList<Double>();
        for (JsonNode r : run.path("results")) {
            UUID task = UUID.fromString(r.path("taskId").asString());
            double seconds = r.path("measures").path("secondsToDone").asDouble();
            double sandboxed = jdbc.sql("select coalesce(sum(duration_ms), 0) / 1000.0 from check_results where task_id = :t")
                    .param("t", task).query(Double.class).single();
            toEnd.add(seconds);
            checks.add(sandboxed);
            overhead.add(seconds - sandboxed);
        }
        System.out.printf(Locale.ROOT, "%d cases, %d at a time: solved %d, wall %.1f s (%.2f s a case)%n", toEnd.size(),
                parallel, run.path("summary").path("rate").path("solved").asInt(), wall, wall / toEnd.size());
        System.out.printf(Locale.ROOT, "time to end per case: median %.2f s, p90 %.2f s%n", q(toEnd, 0.5), q(toEnd, 0.9));
        System.out.printf(Locale.ROOT, "checks in the sandbox per case: median %.2f s, p90 %.2f s%n", q(checks, 0.5),
                q(checks, 0.9));
        System.out.printf(Locale.ROOT, "grandpa's overhead per case (time to end less the checks): median %.2f s, p90 %.2f s%n",
                q(overhead, 0.5), q(overhead, 0.9));
    }

    private static double q(List<Double> values, double quantile) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
