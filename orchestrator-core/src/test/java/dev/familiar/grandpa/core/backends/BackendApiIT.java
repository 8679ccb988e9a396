package dev.familiar.grandpa.core.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/backends}: listing, adding, changing, disabling and draining, kept in PostgreSQL. */
class BackendApiIT {

    static Grandpa.Response patch(Grandpa grandpa, String path, String json) {
        return Grandpa.send(grandpa.request(path)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void backendsAreListedAddedChangedAndKeptAcrossRestarts() {
        var db = TestPostgres.newDatabase();
        try (var models = new Models("config-coder");
             var extra = StandInLlamaServer.start("api-coder", new dev.familiar.grandpa.testkit.scripted.StandInCoder("api-coder"))) {
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("grandpa.backends[0].api-key-env", "GRANDPA_KEY_TEST_THAT_IS_NOT_SET");
            try (var grandpa = Grandpa.start(properties)) {
                var list = grandpa.get("/api/backends");
                assertThat(list.status()).isEqualTo(200);
                JsonNode configured = list.body().get(0);
                assertThat(configured.path("name").asString()).isEqualTo("config-coder");
                assertThat(configured.path("source").asString()).isEqualTo("CONFIG");
                assertThat(configured.path("apiKeyEnv").asString()).isEqualTo("GRANDPA_KEY_TEST_THAT_IS_NOT_SET");
                assertThat(configured.path("apiKeySet").asBoolean()).isFalse();
                assertThat(configured.path("live").path("circuit").asString()).isEqualTo("CLOSED");

                String body = "{\"name\":\"api-coder\",\"baseUrl\":\"" + extra.baseUrl()
                        + "\",\"capabilities\":[\"code\",\"tests\",\"docs\"],\"slots\":3,\"timeoutSeconds\":30,\"cost\":0.5}";
                var added = grandpa.post("/api/backends", body);
                assertThat(added.status()).as(added.text()).isEqualTo(201);
                assertThat(added.body().path("source").asString()).isEqualTo("API");
                assertThat(grandpa.post("/api/backends", body).status()).isEqualTo(409);
                assertThat(grandpa.post("/api/backends", body.replace("api-coder\",", "keyed\",").replace("\"slots\"",
                        "\"apiKey\":\"sk-123\",\"slots\"")).text()).contains("apiKeyEnv").doesNotContain("sk-123");
                assertThat(grandpa.post("/api/backends", "{\"name\":\"bad\",\"baseUrl\":\"ftp://x\"}").status()).isEqualTo(400);
                assertThat(grandpa.post("/api/backends", "{\"name\":\"bad\",\"baseUrl\":\"http://x\",\"slots\":0}").status())
                        .isEqualTo(400);
                assertThat(grandpa.get("/api/backends/nobody").status()).isEqualTo(404);

                // the cheaper API backend takes the work; disabled, it takes none
                assertThat(patch(grandpa, "/api/backends/api-coder", "{\"enabled\":false}").body()
                        .path("enabled").asBoolean()).isFalse();
                UUID id = grandpa.submit("Work while api-coder is disabled");
                JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
                assertThat(StreamSupport.stream(task.path("attempts").spliterator(), false))
                        .allMatch(a -> a.path("backend").asString().equals("config-coder"));

                var drained = patch(grandpa, "/api/backends/api-coder", "{\"enabled\":true,\"draining\":true,\"slots\":4}");
                assertThat(drained.body().path("draining").asBoolean()).isTrue();
                assertThat(drained.body().path("slots").asInt()).isEqualTo(4);
                assertThat(drained.body().path("live").path("available").asBoolean()).isFalse();
                patch(grandpa, "/api/backends/api-coder", "{\"draining\":false}");
                UUID next = grandpa.submit("Work when api-coder is back");
                JsonNode done = grandpa.awaitStatus(next, Duration.ofSeconds(30), "DONE");
                assertThat(StreamSupport.stream(done.path("attempts").spliterator(), false))
                        .anyMatch(a -> a.path("backend").asString().equals("api-coder"));
                // recorded success is re-read from the database every few seconds
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                    JsonNode success = grandpa.get("/api/backends/api-coder").body().path("success");
                    return success.path("code").path("succeeded").asLong() + success.path("docs").path("succeeded").asLong()
                            + success.path("tests").path("succeeded").asLong() > 0;
                });
            }
            try (var restarted = Grandpa.start(properties)) {
                JsonNode kept = restarted.get("/api/backends/api-coder").body();
                assertThat(kept.path("slots").asInt()).isEqualTo(4);
                assertThat(kept.path("enabled").asBoolean()).isTrue();
                assertThat(kept.path("live").path("available").asBoolean()).isTrue();
            }
        }
    }

    static Grandpa.Response delete(Grandpa grandpa, String path) {
        return Grandpa.send(grandpa.request(path).DELETE().build());
    }

    @Test
    void theApiRunsNoCommandNamesNoSecretAndReachesNoMalformedUrl() {
        try (var models = new Models("config-coder")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(1, Duration.ofSeconds(5)));
            try (var grandpa = Grandpa.start(properties)) {
                var cli = grandpa.post("/api/backends", "{\"name\":\"sneaky\",\"kind\":\"CLI\",\"command\":[\"touch\",\"/tmp/x\"]}");
                assertThat(cli.status()).isEqualTo(400);
                assertThat(cli.body().path("detail").asString()).contains("configuration file");
                assertThat(patch(grandpa, "/api/backends/config-coder", "{\"command\":[\"sh\"]}").status()).isEqualTo(400);

                var secret = grandpa.post("/api/backends", "{\"name\":\"leak\",\"baseUrl\":\"http://127.0.0.1:9/v1\","
                        + "\"apiKeyEnv\":\"SPRING_DATASOURCE_PASSWORD\"}");
                assertThat(secret.status()).isEqualTo(400);
                assertThat(secret.body().path("detail").asString()).contains("GRANDPA_KEY_*");
                assertThat(patch(grandpa, "/api/backends/config-coder", "{\"apiKeyEnv\":\"HOME\"}").status()).isEqualTo(400);

                for (String url : new String[] {"http://a b/v1", "ftp://host/v1", "http://user:pw@host/v1", "http:///v1"}) {
                    var bad = grandpa.post("/api/backends", "{\"name\":\"bad\",\"baseUrl\":\"" + url + "\"}");
                    assertThat(bad.status()).as(url).isEqualTo(400);
                }

                var same = grandpa.post("/api/backends", "{\"name\":\"Config-Coder\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}");
                assertThat(same.status()).isEqualTo(409);

                assertThat(grandpa.post("/api/backends", "{\"name\":\"extra\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}")
                        .status()).isEqualTo(201);
                assertThat(delete(grandpa, "/api/backends/extra").status()).isEqualTo(204);
                assertThat(grandpa.get("/api/backends/extra").status()).isEqualTo(404);
                assertThat(grandpa.context().getBean(dev.familiar.grandpa.delegation.backend.BackendRegistry.class)
                        .find("extra")).isEmpty();
                assertThat(delete(grandpa, "/api/backends/config-coder").status()).isEqualTo(409);
                assertThat(delete(grandpa, "/api/backends/nobody").status()).isEqualTo(404);
            }
        }
    }

    @Test
    void backendsTheConfigurationNoLongerNamesLeaveAndAStoredAgentIsNeverRun() throws Exception {
        var db = TestPostgres.newDatabase();
        Path marker = Path.of("target", "agent-ran-" + UUID.randomUUID()).toAbsolutePath();
        try (var models = new Models("stays", "leaves")) {
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(1, Duration.ofSeconds(5)));
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Work for both");
                grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
                // a command-line agent in the table that no configuration names: a crafted backup, once restored
                var jdbc = grandpa.context().getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
                jdbc.sql("INSERT INTO backends (name, kind, command, capabilities, slots, timeout_ms, cost, enabled, draining, "
                        + "source) SELECT 'restored', 'CLI', CAST(? AS jsonb), capabilities, 1, 1000, 0.1, true, false, 'CONFIG' FROM backends "
                        + "WHERE name = 'stays'").param("[\"touch\", \"" + marker + "\"]").update();
            }
            properties.keySet().removeIf(k -> k.startsWith("grandpa.backends[1]")); // the demo's coders, say, left
            try (var grandpa = Grandpa.start(properties)) {
                var names = StreamSupport.stream(grandpa.get("/api/backends").body().spliterator(), false)
                        .map(b -> b.path("name").asString()).toList();
                assertThat(names).containsExactly("stays");
                assertThat(patch(grandpa, "/api/backends/restored", "{\"enabled\":true}").status()).isEqualTo(404);
                UUID id = grandpa.submit("Work after the change");
                grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
                assertThat(marker).doesNotExist();
                // the history of the one that left stays in the statistics
                assertThat(grandpa.get("/api/stats/delegations?range=hour").text()).contains("leaves");
            }
        }
    }

    @Test
    void aDisabledBackendIsNotProbed() {
        try (var models = new Models("quiet")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(1, Duration.ofSeconds(5)));
            properties.put("grandpa.delegation.probe-interval", "100ms");
            try (var grandpa = Grandpa.start(properties)) {
                var server = models.coder("quiet");
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.modelListings() > 0);
                patch(grandpa, "/api/backends/quiet", "{\"enabled\":false}");
                int probed = server.modelListings();
                org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
                assertThat(server.modelListings()).isLessThanOrEqualTo(probed + 1); // at most one probe already on its way
            }
        }
    }
}
