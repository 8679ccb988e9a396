package dev.familiar.grandpa.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay where they belong: a backend's key, the model server's key, the API tokens and the
 * database password never appear in what the API answers or what the service logs, and a key is sent
 * to its own backend only. Everything is captured: every response, the whole log at INFO, and every
 * request the model servers received with its headers.
 */
class SecretsIT {
    static final String CODER_KEY = "sk-leak-test-6f1c2e9d"; // GRANDPA_KEY_LEAK_TEST, set by the build for this test
    static final String MODEL_KEY = "model-key-91ab3c";
    static final String DB_PASSWORD = "db-secret-77ff02";

    @Test
    void noSecretIsAnsweredLoggedOrSentAnywhereButWhereItBelongs() {
        assertThat(System.getenv("GRANDPA_KEY_LEAK_TEST")).as("the build sets the backend's key").isEqualTo(CODER_KEY);
        var log = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new Tee(console, log), true, StandardCharsets.UTF_8));
        var responses = new ArrayList<String>();
        try (var models = new Models("keyed", "open")) {
            var db = TestPostgres.newDatabase();
            String role = "secrets_it_" + ProcessHandle.current().pid();
            try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 var st = c.createStatement()) { // the service logs in with a password of its own, which must not leak
                st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
                st.execute("ALTER DATABASE " + db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1) + " OWNER TO " + role);
                st.execute("ALTER SCHEMA public OWNER TO " + role);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            var properties = Grandpa.defaults(db);
            properties.put("spring.datasource.username", role);
            properties.putAll(models.properties(1, Duration.ofSeconds(10)));
            properties.put("grandpa.backends[0].api-key-env", "GRANDPA_KEY_LEAK_TEST");
            properties.put("grandpa.model.api-key", MODEL_KEY);
            properties.put("grandpa.model.api", "COMPLETION"); // grandpa's own client, not LangChain4j's, is held to it
            properties.put("grandpa.model.checkpoint-every", "1"); // slot saves carry the key too
            properties.put("spring.datasource.password", DB_PASSWORD);
            properties.put("grandpa.delegation.probe-interval", "200ms");
            properties.put("logging.level.root", "INFO");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Use both coders");
                grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
                for (String path : List.of("/api/backends", "/api/backends/keyed", "/api/models", "/api/tasks/" + id,
                        "/api/tasks", "/api/runtime", "/actuator/health", "/actuator/prometheus", "/actuator/metrics",
                        "/v3/api-docs", "/api/tasks/" + id + "/events")) {
                    responses.add(grandpa.get(path).text());
                }
                responses.add(grandpa.post("/api/backends", "{\"name\":\"posted\",\"baseUrl\":\"http://127.0.0.1:9/v1\","
                        + "\"apiKey\":\"" + CODER_KEY + "\"}").text());
                responses.add(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"apiKey\":\"" + MODEL_KEY + "\"}").text());
            }
            String everything = String.join("\n", responses);
            String logged = log.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("Started"); // the log was captured
            for (String secret : List.of(CODER_KEY, MODEL_KEY, DB_PASSWORD, Grandpa.ADMIN, Grandpa.OPERATOR, Grandpa.VIEWER)) {
                assertThat(everything).as("responses").doesNotContain(secret);
                assertThat(logged).as("log").doesNotContain(secret);
            }

            // each key goes with every call to its own server (asking a server whether it is a stand-in sends none)
            assertThat(authorizations(models.coder("keyed"), true)).isNotEmpty().containsOnly("Bearer " + CODER_KEY);
            assertThat(authorizations(models.coder("keyed"), false)).containsOnly("Bearer " + CODER_KEY, "(none)");
            assertThat(authorizations(models.grandpa, true)).isNotEmpty().containsOnly("Bearer " + MODEL_KEY);
            for (StandInLlamaServer server : models.all()) {
                String sent = server.exchanges().toString();
                for (String secret : List.of(DB_PASSWORD, Grandpa.ADMIN, Grandpa.OPERATOR, Grandpa.VIEWER)) {
                    assertThat(sent).as(server.name()).doesNotContain(secret);
                }
                if (server != models.coder("keyed")) {
                    assertThat(sent).as(server.name()).doesNotContain(CODER_KEY);
                }
                if (server != models.grandpa) {
                    assertThat(sent).as(server.name()).doesNotContain(MODEL_KEY);
                }
            }
        } finally {
            System.setOut(console);
        }
    }

    /** The Authorization headers the server received: on chat calls only, or on anything. */
    static List<String> authorizations(StandInLlamaServer server, boolean chatOnly) {
        return server.exchanges().stream().filter(e -> !chatOnly || e.path().endsWith("completions")
                        || e.path().equals("/completion") || e.path().startsWith("/slots/"))
                .flatMap(e -> e.headers().getOrDefault("Authorization", List.of("(none)")).stream()).distinct().toList();
    }

    /** Writes to the console and keeps a copy. */
    static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
