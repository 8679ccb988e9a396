package dev.familiar.grandpa.core.chaos;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The chaos run ({@code scripts/chaos-run.sh}, and a small one in CI as {@code ChaosRunIT}): grandpa as
 * a process of its own, from its jar, works {@code tasks} tasks (every fourth in a git repository,
 * checked in the sandbox) on stand-in models while it is killed with SIGKILL at random moments
 * ({@code kills}), its PostgreSQL is restarted under it, grandpa's model server is killed mid-answer and
 * comes back, and a coder flaps (away a few seconds, back, away again). Submissions go on throughout,
 * each with its Idempotency-Key, retried until accepted. Then {@link ChaosChecks} says whether it held:
 * every task DONE without a person, nothing accepted or committed twice, every restart up on its first try.
 */
public final class ChaosRun {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How much chaos: SIGKILLs of the service, PostgreSQL restarts, model kills; the coder flaps throughout. */
    public record Settings(int tasks, int kills, int pgRestarts, int modelKills, long seed) {
        static Settings parse(String... args) {
            var s = new Settings(200, 12, 2, 2, 42);
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                int v = Integer.parseInt(kv[1]);
                s = switch (kv[0]) {
                    case "tasks" -> new Settings(v, s.kills, s.pgRestarts, s.modelKills, s.seed);
                    case "kills" -> new Settings(s.tasks, v, s.pgRestarts, s.modelKills, s.seed);
                    case "pg-restarts" -> new Settings(s.tasks, s.kills, v, s.modelKills, s.seed);
                    case "model-kills" -> new Settings(s.tasks, s.kills, s.pgRestarts, v, s.seed);
                    case "seed" -> new Settings(s.tasks, s.kills, s.pgRestarts, s.modelKills, v);
                    default -> throw new IllegalArgumentException("unknown setting " + kv[0]);
                };
            }
            return s;
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(Settings.parse(args), Path.of("orchestrator-core/target/grandpa.jar")) ? 0 : 1);
    }

    /** @return whether everything held */
    public static boolean run(Settings settings, Path jarPath) throws Exception {
        Path jar = jarPath.toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the service first: " + jar + " is missing");
        }
        long began = System.nanoTime();
        var random = new Random(settings.seed());
        Path dir = Files.createTempDirectory("grandpa-chaos");
        Path pgData = dir.resolve("postgres");
        int pgPort = freePort();
        int port = freePort();
        var db = EmbeddedDatabase.start(pgData, pgPort, true);
        try (var world = new ChaosWorld(dir, random)) {
            var properties = Grandpa.on(db.jdbcUrl(), db.username(), db.password());
            properties.putAll(world.properties());
            properties.put("server.port", Integer.toString(port));
            properties.put("logging.level.root", "WARN");
            properties.put("grandpa.workspaces.dir", dir.resolve("workspaces").toString());
            properties.put("grandpa.delegation.probe-interval", "2s");
            properties.put("grandpa.engine.model-retry-interval", "2s");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString()));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            String base = "http://127.0.0.1:" + port;

            var accepted = new ConcurrentHashMap<Integer, UUID>();
            var submitter = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < settings.tasks(); i++) {
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
            var flapping = new java.util.concurrent.atomic.AtomicBoolean(true);
            var flaps = new java.util.concurrent.atomic.AtomicInteger();
            var flapper = Thread.ofVirtual().start(() -> { // coder-a: away 3-6 s, back 6-12 s, while tasks come in
                while (flapping.get()) {
                    sleep(6000 + random.nextInt(6000));
                    world.kill("coder-a");
                    flaps.incrementAndGet();
                    sleep(3000 + random.nextInt(3000));
                    world.start("coder-a");
                }
            });

            var readyTimes = new ArrayList<Long>();
            int firstTryFailures = 0;
            int pgRestarts = 0;
            int modelKills = 0;
            Process service = start(command, dir);
            readyTimes.add(awaitReady(base, service));
            for (int k = 0; k < settings.kills(); k++) {
                sleep(2000 + random.nextInt(5000));
                if (pgRestarts < settings.pgRestarts() && k % Math.max(1, settings.kills() / settings.pgRestarts()) == 1) {
                    db.close(); // PostgreSQL goes away under the running service
                    sleep(3000);
                    db = EmbeddedDatabase.start(pgData, pgPort, true);
                    pgRestarts++;
                    sleep(2000);
                }
                if (modelKills < settings.modelKills() && k % Math.max(1, settings.kills() / settings.modelKills()) == 0) {
                    world.kill("stand-in-grandpa"); // mid-answer: what it was writing is cut off
                    sleep(3000);
                    world.start("stand-in-grandpa");
                    modelKills++;
                }
                service.destroyForcibly().waitFor();
                service = start(command, dir);
                long ready = awaitReady(base, service);
                if (ready < 0) {
                    firstTryFailures++;
                    service.destroyForcibly().waitFor();
                    service = start(command, dir);
                    ready = awaitReady(base, service);
                }
                readyTimes.add(ready);
            }
            submitter.join();
            flapping.set(false);
            flapper.join();
            world.start("coder-a");
            var jdbc = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (jdbc.sql("select count(*) from tasks where status = 'DONE'").query(Long.class).single() < settings.tasks()
                    && System.nanoTime() < deadline) {
                sleep(500);
            }
            service.destroy();
            service.waitFor();
            return ChaosChecks.report(jdbc, dir.resolve("workspaces/mirrors/" + ChaosWorld.REPOSITORY + ".git"),
                    new ChaosChecks.Figures(settings.tasks(), settings.kills(), pgRestarts, modelKills, flaps.get(),
                            readyTimes, firstTryFailures, (System.nanoTime() - began) / 1_000_000_000));
        } finally {
            db.close();
        }
    }

    /** Submits task {@code i} (every fourth in the repository) with its own idempotency key; empty when not accepted now. */
    private static Optional<UUID> submit(String base, int i) {
        String repo = i % 4 == 3 ? ",\"repo\":\"" + ChaosWorld.REPOSITORY + "\"" : "";
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks")).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + Grandpa.ADMIN).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "chaos-run-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"goal\":\"Chaos run task " + i + "\"" + repo + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(Grandpa.JSON.readTree(response.body()).path("id").asString()));
        } catch (IOException e) {
            return Optional.empty(); // killed meanwhile: the same key is sent again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Process start(List<String> command, Path dir) throws IOException {
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("service.log").toFile()).redirectErrorStream(true).start();
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

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
