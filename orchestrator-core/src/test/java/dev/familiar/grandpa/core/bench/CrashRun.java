package dev.familiar.grandpa.core.bench;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The crash run (scripts/crash-test.sh): grandpa as a process of its own, from its jar, working
 * {@code tasks} tasks (default 200) on stand-in models while it is killed with SIGKILL at random
 * moments ({@code kills}, default 12) and its PostgreSQL is restarted twice under it. Submissions go
 * on throughout, each with its Idempotency-Key, retried until accepted. Then: every restart must have
 * come up on its first try, every task must end DONE, none lost, no subtask accepted twice, and each
 * task's event history must be consistent. Prints its figures; exits 1 when anything does not hold.
 */
public final class CrashRun {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        int tasks = 200;
        int kills = 12;
        long seed = 42;
        for (String arg : args) {
            if (arg.startsWith("tasks=")) {
                tasks = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("kills=")) {
                kills = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("seed=")) {
                seed = Long.parseLong(arg.substring(5));
            }
        }
        Path jar = Path.of("orchestrator-core/target/grandpa.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the service first: " + jar + " is missing");
        }
        var random = new Random(seed);
        Path pgData = Files.createTempDirectory("grandpa-crash-pg");
        int pgPort = freePort();
        int port = freePort();
        var db = EmbeddedDatabase.start(pgData, pgPort, true);
        var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        try (var models = new Models("coder-a", "coder-b")) {
            models.coders.forEach((name, server) -> server.respondWith(
                    call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofMillis(300 + random.nextInt(700)))));
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.putAll(models.properties(2, Duration.ofSeconds(30)));
            properties.put("server.port", Integer.toString(port));
            properties.put("logging.level.root", "WARN");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString()));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            String base = "http://127.0.0.1:" + port;

            var accepted = new ConcurrentHashMap<Integer, UUID>();
            int total = tasks;
            var submitter = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < total; i++) {
                    int n = i;
                    while (!accepted.containsKey(n)) {
                        submit(base, n).ifPresent(id -> accepted.put(n, id));
                        if (!accepted.containsKey(n)) {
                            sleep(200);
                        }
                    }
                    sleep(40);
                }
            });

            var readyTimes = new ArrayList<Long>();
            int firstTryFailures = 0;
            int pgRestarts = 0;
            Process service = start(command, pgData);
            readyTimes.add(awaitReady(base, service));
            for (int k = 0; k < kills; k++) {
                sleep(2000 + random.nextInt(5000));
                if (k == kills / 3 || k == 2 * kills / 3) { // PostgreSQL goes away under the running service
                    db.close();
                    sleep(3000);
                    db = EmbeddedDatabase.start(pgData, pgPort, true);
                    pgRestarts++;
                    sleep(2000);
                }
                service.destroyForcibly().waitFor();
                service = start(command, pgData);
                long ready = awaitReady(base, service);
                if (ready < 0) {
                    firstTryFailures++;
                    service.destroyForcibly().waitFor();
                    service = start(command, pgData);
                    ready = awaitReady(base, service);
                }
                readyTimes.add(ready);
            }
            submitter.join();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (jdbc.sql("select count(*) from tasks where status = 'DONE'").query(Long.class).single() < total
                    && System.nanoTime() < deadline) {
                sleep(500);
            }
            service.destroy();
            service.waitFor();
            System.exit(report(jdbc, total, kills, pgRestarts, readyTimes, firstTryFailures) ? 0 : 1);
        } finally {
            db.close();
        }
    }

    /** Submits task {@code i} with its own idempotency key; empty when the service did not accept it now. */
    private static java.util.Optional<UUID> submit(String base, int i) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks")).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + Grandpa.ADMIN).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "crash-run-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"goal\":\"Crash run task " + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(UUID.fromString(Grandpa.JSON.readTree(response.body()).path("id").asString()));
        } catch (IOException e) {
            return java.util.Optional.empty(); // killed meanwhile: the same key is sent again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private static Process start(List<String> command, Path workDir) throws IOException {
        return new ProcessBuilder(command).directory(workDir.getParent().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Milliseconds until the service is ready, or -1 when it died or did not get ready within 90 s. */
    private static long awaitReady(String base, Process service) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(90).toNanos()) {
            if (!service.isAlive()) {
                return -1;
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            sleep(200);
        }
        return -1;
    }

    private static boolean report(JdbcClient jdbc, int tasks, int kills, int pgRestarts, List<Long> readyTimes,
                                  int firstTryFailures) {
        long stored = jdbc.sql("select count(*) from tasks").query(Long.class).single();
        long done = jdbc.sql("select count(*) from tasks where status = 'DONE'").query(Long.class).single();
        long twiceAccepted = jdbc.sql("""
                select count(*) from (select data ->> 'subtask', task_id from task_events where type = 'subtask.accepted'
                                      group by 1, 2 having count(*) > 1) twice""").query(Long.class).single();
        long acceptedWithoutPass = jdbc.sql("""
                select count(*) from subtasks s where s.status = 'ACCEPTED' and (select count(*) from evaluations e
                    where e.subtask_id = s.id and e.verdict = 'PASS') <> 1""").query(Long.class).single();
        long interrupted = jdbc.sql("select count(*) from attempts where status = 'INTERRUPTED'").query(Long.class).single();
        long attempts = jdbc.sql("select count(*) from attempts").query(Long.class).single();
        // each task's history: submitted first, DONE last and once, a plan before any attempt
        long inconsistent = jdbc.sql("""
                select count(*) from tasks t where
                   (select type from task_events where task_id = t.id order by id limit 1) <> 'submitted'
                or (select data ->> 'status' from task_events where task_id = t.id and type = 'status' order by id desc limit 1) <> 'DONE'
                or (select count(*) from task_events where task_id = t.id and type = 'status' and data ->> 'status' = 'DONE') <> 1
                or exists (select 1 from task_events a where a.task_id = t.id and a.type = 'attempt.started'
                           and not exists (select 1 from task_events p where p.task_id = t.id and p.type = 'planned' and p.id < a.id))
                """).query(Long.class).single();
        var ready = new ArrayList<>(readyTimes);
        Collections.sort(ready);
        System.out.printf("crash run: %d tasks, %d SIGKILLs of the service, %d PostgreSQL restarts under it%n", tasks, kills,
                pgRestarts);
        System.out.printf("restarts that did not come up on their first try: %d; ready after %d / %d / %d ms (min / median / max)%n",
                firstTryFailures, ready.getFirst(), ready.get(ready.size() / 2), ready.getLast());
        System.out.printf("tasks stored %d, DONE %d; subtasks accepted twice %d; accepted without exactly one pass %d; "
                + "histories inconsistent %d%n", stored, done, twiceAccepted, acceptedWithoutPass, inconsistent);
        System.out.printf("attempts %d, of them interrupted by a kill and made again %d%n", attempts, interrupted);
        boolean held = firstTryFailures == 0 && stored == tasks && done == tasks && twiceAccepted == 0
                && acceptedWithoutPass == 0 && inconsistent == 0;
        System.out.println(held ? "HELD" : "DID NOT HOLD");
        return held;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
