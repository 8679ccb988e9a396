package dev.familiar.grandpa.core.testing;

import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.GrandpaApplication;
import dev.familiar.grandpa.core.security.ApiTokens;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running grandpa service for a test: the real application on a random port, on a test
 * database, talking to stand-in model servers over HTTP. Several may share a database.
 */
public final class Grandpa implements AutoCloseable {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    /** The tokens every test service knows, one per role; requests send the admin's unless told otherwise. */
    public static final String ADMIN = "test-admin-token-0123456789";
    public static final String OPERATOR = "test-operator-token-0123456789";
    public static final String VIEWER = "test-viewer-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;
    private final String base;

    private Grandpa(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** A service on this database, on a free port, without a banner. */
    public static Map<String, Object> on(String jdbcUrl, String username, String password) {
        var p = new LinkedHashMap<String, Object>();
        p.put("spring.datasource.url", jdbcUrl);
        p.put("spring.datasource.username", username);
        p.put("spring.datasource.password", password);
        p.put("server.port", "0");
        p.put("grandpa.security.submissions-per-minute", "1000000"); // tests and benchmarks submit in bursts
        String[][] tokens = {{"admin", "ADMIN", ADMIN}, {"operator", "OPERATOR", OPERATOR}, {"viewer", "VIEWER", VIEWER}};
        for (int i = 0; i < tokens.length; i++) {
            p.put("grandpa.security.tokens[" + i + "].name", tokens[i][0]);
            p.put("grandpa.security.tokens[" + i + "].role", tokens[i][1]);
            p.put("grandpa.security.tokens[" + i + "].sha256", ApiTokens.sha256Hex(tokens[i][2]));
        }
        p.put("spring.main.banner-mode", "off");
        return p;
    }

    /** Settings shared by every test service: fast polling and takeover, quiet logs. */
    public static Map<String, Object> defaults(TestPostgres.Database db) {
        var p = on(db.jdbcUrl(), db.username(), db.password());
        p.put("grandpa.engine.poll-interval", "100ms");
        p.put("grandpa.engine.claim-for", "2s");
        p.put("grandpa.engine.model-retry-interval", "300ms");
        p.put("grandpa.api.event-poll-interval", "50ms");
        return p;
    }

    /**
     * A service for a class of independent cases on these models (2 slots, 2 s timeout per coder),
     * with no memory of earlier cases' outcomes in its routing.
     */
    public static Grandpa forCases(Models models) {
        var properties = defaults(TestPostgres.newDatabase());
        properties.putAll(models.properties(2, Duration.ofSeconds(2)));
        properties.put("grandpa.delegation.history-window", "0s");
        return start(properties);
    }

    public static Grandpa start(Map<String, Object> properties) {
        // As arguments, so they win over application.yml (builder properties are only defaults).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        var context = new SpringApplicationBuilder(GrandpaApplication.class).run(args);
        return new Grandpa(context);
    }

    /** Fresh guards for every backend: circuits closed, call times forgotten (between test cases). */
    public void resetBackends() {
        var registry = context.getBean(dev.familiar.grandpa.delegation.backend.BackendRegistry.class);
        registry.all().forEach(b -> registry.put(b.spec()));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public String url(String path) {
        return base + path;
    }

    public record Response(int status, JsonNode body, String text) {}

    public Response post(String path, String json, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (!headers.containsKey("Authorization")) {
            request.header("Authorization", "Bearer " + ADMIN);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A request with the admin token, to build on. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN);
    }

    public Response post(String path, String json) {
        return post(path, json, Map.of());
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public static Response send(HttpRequest request) {
        try {
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && !response.body().isEmpty()) {
                body = JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), body, response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public UUID submit(String goal) {
        var response = post("/api/tasks", JSON.writeValueAsString(Map.of("goal", goal)));
        if (response.status() != 202) {
            throw new AssertionError("submit answered " + response.status() + ": " + response.text());
        }
        return UUID.fromString(response.body().path("id").asString());
    }

    public JsonNode task(UUID id) {
        return get("/api/tasks/" + id).body();
    }

    /** Waits until the task is in one of the statuses, and returns its detail. */
    public JsonNode awaitStatus(UUID id, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> wanted.contains(task(id).path("status").asString()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            JsonNode task = task(id); // say where it stands, and what happened to it last
            var events = task.path("events").valueStream().map(ev -> ev.path("line").asString(ev.path("type").asString()))
                    .toList();
            throw new AssertionError("task " + id + " is " + task.path("status").asString() + " ("
                    + task.path("statusReason").asString("") + "), not " + wanted + ", after " + timeout + "; its last events: "
                    + events.subList(Math.max(0, events.size() - 8), events.size()), e);
        }
        return task(id);
    }

    @Override
    public void close() {
        context.close();
    }
}
