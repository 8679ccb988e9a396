package dev.familiar.grandpa.core.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.OneStepGrandpa;
import dev.familiar.grandpa.testkit.scripted.SuiteCoder;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.testkit.standin.StandInServerMain;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A setup that switches the grandpa model grandpa runs: the model server is a stand-in process of its own per
 * model (model-a as configured, model-b for the setup), started by the service's supervisor. A run under the
 * setup switches to model-b before its cases start, with only the coders the setup names and without the
 * first judge, and back to model-a, every coder and the first judge after.
 */
class EvalSetupsIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRunUnderASetupSwitchesTheSupervisedModelAndTheCodersAndBackAfter() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "eval-setups-it", UUID.randomUUID().toString()).toAbsolutePath());
        Path suite = tinySuite(root.resolve("suites/one"), "one");
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var solving = new SuiteCoder(suite, SuiteCoder.Behaviour.SOLVES, 0);
        try (var coder = StandInLlamaServer.start("coder", call -> solving.answer(call).after(Duration.ofMillis(1500)));
             var other = StandInLlamaServer.start("other", solving);
             var judge = StandInLlamaServer.start("judge", call -> Reply.text(
                     "{\"verdict\":\"pass\",\"score\":0.9,\"feedback\":\"fine\",\"confidence\":0.97}"))) {
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.put("grandpa.model.base-url", "http://127.0.0.1:" + port + "/v1");
            p.put("grandpa.model.name", "model-a");
            put(p, "grandpa.runtime.command", server(port, "model-a"));
            put(p, "grandpa.evals.setups.b.command", server(port, "model-b"));
            p.put("grandpa.evals.setups.b.model-name", "model-b");
            p.put("grandpa.evals.setups.b.backends[0]", "coder");
            p.put("grandpa.evals.setups.b.first-judge", "false");
            p.put("grandpa.runtime.poll-interval", "100ms");
            String[][] backends = {{"coder", coder.baseUrl(), "code"}, {"other", other.baseUrl(), "code"},
                    {"judge", judge.baseUrl(), "review"}};
            for (int i = 0; i < backends.length; i++) {
                p.put("grandpa.backends[" + i + "].name", backends[i][0]);
                p.put("grandpa.backends[" + i + "].base-url", backends[i][1]);
                p.put("grandpa.backends[" + i + "].capabilities[0]", backends[i][2]);
                p.put("grandpa.backends[" + i + "].slots", "2");
            }
            p.put("grandpa.first-judge.backend", "judge");
            p.put("grandpa.workspaces.dir", root.resolve("data/workspaces").toString());
            p.put("grandpa.sandbox.hidden[0]", root.resolve("data").toString());
            p.put("grandpa.evals.suites[0]", root.resolve("suites").toString());
            p.put("grandpa.evals.dir", root.resolve("data/evals").toString());
            p.put("grandpa.evals.poll-interval", "200ms");
            try (var service = Grandpa.start(p)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> servedBy(port).equals("model-a"));
                assertThat(service.post("/api/evals/runs", "{\"suite\":\"one\",\"setup\":\"c\"}").text())
                        .contains("no setup named 'c'; setups: b");

                JsonNode configured = finished(service, start(service, "as-configured", null));
                assertThat(configured.path("summary").path("rate").path("solved").asInt()).isEqualTo(2);
                assertThat(configured.path("models").path("grandpa").path("name").asString()).isEqualTo("model-a");
                assertThat(judgedBy(service, configured)).containsOnly("first_judge");

                // while the run under b works: model-b serves, "other" and the judge take no new work
                var seen = new HashSet<String>();
                var drainedSeen = new AtomicBoolean();
                JsonNode started = start(service, "under-b", "b");
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    seen.add(servedBy(port));
                    drainedSeen.compareAndSet(false, service.get("/api/backends/other").body().path("draining").asBoolean());
                    return service.get("/api/evals/runs/under-b").body().path("status").asString().equals("FINISHED");
                });
                JsonNode underB = service.get("/api/evals/runs/" + started.path("id").asString()).body();
                assertThat(seen).contains("model-b");
                assertThat(drainedSeen).isTrue();
                assertThat(underB.path("setup").asString()).isEqualTo("b");
                assertThat(underB.path("summary").path("rate").path("solved").asInt()).isEqualTo(2);
                assertThat(underB.path("models").path("grandpa").path("name").asString()).isEqualTo("model-b");
                assertThat(underB.path("models").path("coders")).singleElement()
                        .satisfies(c -> assertThat(c.path("name").asString()).isEqualTo("coder"));
                assertThat(judgedBy(service, underB)).doesNotContain("first_judge");
                for (JsonNode r : underB.path("results")) {
                    JsonNode task = service.task(UUID.fromString(r.path("taskId").asString()));
                    assertThat(task.path("events")).filteredOn(e -> e.path("type").asString().equals("model.call"))
                            .isNotEmpty().allSatisfy(e -> assertThat(e.path("data").path("model").asString()).isEqualTo("model-b"));
                    assertThat(task.path("attempts")).allSatisfy(a -> assertThat(a.path("backend").asString()).isEqualTo("coder"));
                }

                // and back as configured
                await().atMost(Duration.ofSeconds(60)).until(() -> servedBy(port).equals("model-a")
                        && !service.get("/api/backends/other").body().path("draining").asBoolean()
                        && !service.get("/api/backends/judge").body().path("draining").asBoolean());
                UUID after = service.submit("A task after the bake-off");
                JsonNode done = service.awaitStatus(after, Duration.ofSeconds(60), "DONE");
                assertThat(done.path("events")).filteredOn(e -> e.path("type").asString().equals("model.call"))
                        .allSatisfy(e -> assertThat(e.path("data").path("model").asString()).isEqualTo("model-a"));
                assertThat(service.get("/api/runtime").body().path("status").path("restarts").asInt())
                        .as("a switch is not a restart").isZero();
            }
        }
    }

    static List<String> server(int port, String name) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), StandInServerMain.class.getName(), "--port",
                Integer.toString(port), "--name", name, "--responder", OneStepGrandpa.class.getName());
    }

    static void put(Map<String, Object> p, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            p.put(key + "[" + i + "]", values.get(i));
        }
    }

    /** The model the stand-in at the port says it serves; "" while nothing answers. */
    static String servedBy(int port) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Grandpa.JSON.readTree(response.body()).path("data").path(0).path("id").asString("");
        } catch (Exception e) {
            return "";
        }
    }

    static Set<String> judgedBy(Grandpa service, JsonNode run) {
        var judges = new HashSet<String>();
        for (JsonNode r : run.path("results")) {
            JsonNode task = service.task(UUID.fromString(r.path("taskId").asString()));
            task.path("evaluations").forEach(e -> judges.add(e.path("judgedBy").asString()));
        }
        return judges;
    }

    static JsonNode start(Grandpa service, String label, String setup) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("suite", "one", "label", label, "parallel", 2));
        if (setup != null) {
            body.put("setup", setup);
        }
        var response = service.post("/api/evals/runs", Grandpa.JSON.writeValueAsString(body));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body();
    }

    static JsonNode finished(Grandpa service, JsonNode run) {
        String label = run.path("label").asString();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> service.get("/api/evals/runs/" + label).body().path("status").asString().equals("FINISHED"));
        return service.get("/api/evals/runs/" + label).body();
    }

    /** A suite of two small Python cases (py-add, py-sub), with their held-out tests and solutions. */
    static Path tinySuite(Path suite, String name) throws Exception {
        var cases = new ArrayList<String>();
        for (String op : List.of("add", "sub")) {
            Path c = Files.createDirectories(suite.resolve("py-" + op));
            String sign = op.equals("add") ? "+" : "-";
            Files.createDirectories(c.resolve("repo"));
            Files.createDirectories(c.resolve("held-out"));
            Files.createDirectories(c.resolve("solution"));
            Files.writeString(c.resolve("repo/calc.py"), "def " + op + "(a, b):\n    return None\n");
            Files.writeString(c.resolve("solution/calc.py"), "def " + op + "(a, b):\n    return a " + sign + " b\n");
            Files.writeString(c.resolve("held-out/test_held.py"), "import unittest\nfrom calc import " + op + "\n"
                    + "class H(unittest.TestCase):\n    def test(self):\n        self.assertEqual(" + op + "(5, 3), 5 " + sign
                    + " 3)\n");
            cases.add("  - {id: py-" + op + ", goal: \"" + op + "(a, b) in calc.py must work\", checks: {test: \"python3 -c "
                    + "'import calc'\"}, acceptance: test, held-out: \"python3 -m unittest -q test_held\"}");
        }
        Files.writeString(suite.resolve("suite.yaml"), "name: " + name + "\ncases:\n" + String.join("\n", cases) + "\n");
        return suite;
    }
}
