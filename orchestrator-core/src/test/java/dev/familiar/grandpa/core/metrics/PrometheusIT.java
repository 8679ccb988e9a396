package dev.familiar.grandpa.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Speeds;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * grandpa's metrics as a real Prometheus (Debian's package) scrapes them after a scripted workload:
 * tasks done through a coder that fails everything ("flaky") and one that works ("steady"), a task
 * blocked and one waiting for grandpa's model. Every query of the Grafana dashboard and every alert rule
 * is evaluated through Prometheus's HTTP API and returns the series the workload should give;
 * {@code promtool check rules} passes, and Prometheus evaluates every rule without an error.
 */
class PrometheusIT {
    static final Path RULES = Path.of("../deploy/prometheus/rules.yml").toAbsolutePath().normalize();
    static final Path DASHBOARD = Path.of("../deploy/grafana/dashboards/grandpa-delegation.json").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Panels whose query may rightly be empty after this workload (their series are checked to exist). */
    static final Map<String, String> MAY_BE_EMPTY = Map.of(
            "Backend circuits not closed", "grandpa_backend_circuit");

    @Test
    void everyPanelAndRuleEvaluatesOverWhatTheServiceExports() throws Exception {
        assertThat(run(List.of("promtool", "check", "rules", RULES.toString()))).contains("SUCCESS: 6 rules found");
        var dashboard = Grandpa.JSON.readTree(Files.readString(DASHBOARD));

        try (var models = new Models("flaky", "steady")) { // flaky is cheaper: routing tries it first
            models.coder("flaky").respondWith(call -> Reply.error(500, "stand-in coder broken on purpose"));
            models.grandpa.setSpeeds(Speeds.seed(2000)); // reports the seed's timings, 2000 times faster
            var scripted = new StandInGrandpa();
            models.grandpa.respondWith(call -> {
                String goal = call.last("user");
                if ("plan".equals(call.schemaName()) && goal.contains("impossible")) {
                    return Reply.text("{\"subtasks\": []}"); // refused plans: BLOCKED
                }
                if ("plan".equals(call.schemaName()) && goal.contains("waits")) {
                    return Reply.error(503, "stand-in model server loading"); // the model is away: WAITING
                }
                return scripted.answer(call);
            });
            var p = Grandpa.defaults(TestPostgres.newDatabase());
            p.putAll(models.properties(2, Duration.ofSeconds(10)));
            p.put("grandpa.delegation.probe-interval", "1s");
            p.put("grandpa.engine.model-retry-interval", "30s");
            try (var grandpa = Grandpa.start(p)) {
                Path dir = Files.createDirectories(Path.of("target", "prometheus-it", UUID.randomUUID().toString()).toAbsolutePath());
                Files.writeString(dir.resolve("token"), Grandpa.VIEWER);
                int port = freePort();
                URI target = URI.create(grandpa.url(""));
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global: {scrape_interval: 1s, evaluation_interval: 1s}
                        rule_files: ["%s"]
                        scrape_configs:
                          - job_name: grandpa
                            metrics_path: /actuator/prometheus
                            authorization: {credentials_file: "%s"}
                            static_configs: [{targets: ["%s"]}]
                        """.formatted(RULES, dir.resolve("token"), target.getHost() + ":" + target.getPort()));
                Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                try {
                    String api = "http://127.0.0.1:" + port;
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                            .until(() -> !query(api, "up{job=\"grandpa\"} == 1").isEmpty());
                    var done = new ArrayList<UUID>();
                    for (int i = 0; i < 4; i++) {
                        done.add(grandpa.submit("Add endpoint number " + i));
                    }
                    UUID blocked = grandpa.submit("An impossible task");
                    UUID waiting = grandpa.submit("A task that waits for grandpa's model");
                    done.forEach(id -> grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE"));
                    grandpa.awaitStatus(blocked, Duration.ofSeconds(60), "BLOCKED");
                    grandpa.awaitStatus(waiting, Duration.ofSeconds(60), "WAITING");
                    // a few scrapes after the work, so rates and increases cover it
                    double before = scrapes(api);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> scrapes(api) >= before + 5);
                    assertThat(query(api, "up{job=\"grandpa\"}").get(0).path("value").get(1).asString()).isEqualTo("1");

                    var empty = new ArrayList<String>();
                    for (JsonNode panel : dashboard.path("panels")) {
                        for (JsonNode target2 : panel.path("targets")) {
                            String title = panel.path("title").asString();
                            List<JsonNode> result = query(api, target2.path("expr").asString());
                            if (result.isEmpty()) {
                                if (MAY_BE_EMPTY.containsKey(title)) {
                                    assertThat(query(api, MAY_BE_EMPTY.get(title))).as(title).isNotEmpty();
                                } else {
                                    empty.add(title + ": " + target2.path("expr").asString());
                                }
                            }
                        }
                    }
                    assertThat(empty).as("panel queries with no series").isEmpty();
                    // model calls and attempts take minutes: their histograms have buckets past 10 minutes
                    for (String histogram : List.of("gen_ai_client_operation_duration_seconds_bucket",
                            "grandpa_delegation_attempts_seconds_bucket")) {
                        double top = query(api, histogram).stream().map(r -> r.path("metric").path("le").asString())
                                .filter(le -> !le.equals("+Inf")).mapToDouble(Double::parseDouble).max().orElse(0);
                        assertThat(top).as(histogram).isGreaterThan(600);
                    }

                    // what the panels show is what the database holds
                    assertThat(labels(query(api, "sum by (status) (grandpa_tasks_current)"), "status"))
                            .contains("DONE", "BLOCKED", "WAITING");
                    assertThat(query(api, "sum(grandpa_tasks_current{status=\"DONE\"})").get(0).path("value").get(1).asDouble())
                            .isEqualTo(4);
                    var success = query(api, dashboard.path("panels").get(0).path("targets").get(0).path("expr").asString());
                    assertThat(value(success, "backend", "flaky")).isZero();
                    assertThat(value(success, "backend", "steady")).isEqualTo(1.0);

                    // the alert rules, evaluated now without their "for"
                    assertThat(labels(query(api, rule("GrandpaBackendSuccessLow")), "backend")).containsExactly("flaky");
                    assertThat(query(api, rule("GrandpaTasksStuckWaiting"))).hasSize(1);
                    assertThat(query(api, rule("GrandpaTasksBlocked"))).hasSize(1);
                    assertThat(query(api, rule("GrandpaModelServerRestarted"))).isEmpty();
                    assertThat(query(api, "grandpa_runtime_restarts")).hasSize(1);
                    assertThat(query(api, rule("GrandpaModelServerDown"))).isEmpty();
                    assertThat(query(api, "grandpa_runtime_ready")).hasSize(1);
                    // Prometheus itself loaded all six and evaluates them without an error
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        JsonNode rules = get(api + "/api/v1/rules").path("data").path("groups").get(0).path("rules");
                        assertThat(rules).hasSize(6).allSatisfy(r -> assertThat(r.path("health").asString()).isEqualTo("ok"));
                    });
                } finally {
                    prometheus.destroy();
                    prometheus.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The expression of an alert rule, read from the rules file. */
    @SuppressWarnings("unchecked")
    private static String rule(String alert) throws IOException {
        Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(Files.readString(RULES));
        for (var group : (List<Map<String, Object>>) file.get("groups")) {
            for (var rule : (List<Map<String, Object>>) group.get("rules")) {
                if (alert.equals(rule.get("alert"))) {
                    return String.valueOf(rule.get("expr"));
                }
            }
        }
        throw new AssertionError("no alert rule " + alert + " in " + RULES);
    }

    private static double scrapes(String api) throws Exception {
        return query(api, "count_over_time(up{job=\"grandpa\"}[10m])").get(0).path("value").get(1).asDouble();
    }

    private static List<JsonNode> query(String api, String expr) throws Exception {
        JsonNode answer = get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asString()).as(expr + ": " + answer).isEqualTo("success");
        return StreamSupport.stream(answer.path("data").path("result").spliterator(), false).toList();
    }

    private static JsonNode get(String url) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Grandpa.JSON.readTree(response.body());
    }

    private static List<String> labels(List<JsonNode> result, String label) {
        return result.stream().map(r -> r.path("metric").path(label).asString()).toList();
    }

    private static double value(List<JsonNode> result, String label, String is) {
        return result.stream().filter(r -> r.path("metric").path(label).asString().equals(is)).findFirst()
                .map(r -> Double.parseDouble(r.path("value").get(1).asString()))
                .orElseThrow(() -> new AssertionError("no series with " + label + "=" + is + " in " + result));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
