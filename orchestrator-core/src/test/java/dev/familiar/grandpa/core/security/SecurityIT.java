package dev.familiar.grandpa.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what, through the real service over HTTP. */
class SecurityIT {
    static Grandpa grandpa;

    @BeforeAll
    static void start() {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.put("grandpa.model.base-url", "http://127.0.0.1:9/v1"); // nothing answers: tasks wait
        grandpa = Grandpa.start(properties);
    }

    @AfterAll
    static void stop() {
        grandpa.close();
    }

    static Grandpa.Response call(String method, String path, String token, String body, String origin) {
        var request = HttpRequest.newBuilder(URI.create(grandpa.url(path))).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return Grandpa.send(request.build());
    }

    static final String TASK = "{\"goal\":\"Guarded work\"}";
    static final String BACKEND = "{\"name\":\"guarded\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}";

    @Test
    void withoutATokenOrWithAWrongOneNothingButTheProbesAnswers() {
        for (String path : new String[] {"/api/tasks", "/api/backends", "/api/runtime", "/actuator/prometheus"}) {
            var none = call("GET", path, null, null, null);
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.body().path("detail").asString()).contains("bearer token");
            assertThat(call("GET", path, "not-a-token", null, null).status()).as(path).isEqualTo(401);
        }
        assertThat(call("POST", "/api/tasks", null, TASK, null).status()).isEqualTo(401);
        assertThat(call("POST", "/api/tasks", "Bearer-less", TASK, null).status()).isEqualTo(401);
        assertThat(call("GET", "/actuator/health/liveness", null, null, null).status()).isEqualTo(200);
        var docs = call("GET", "/v3/api-docs", null, null, null); // what the endpoints are, and the token they ask for
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("components").path("securitySchemes").path("bearer-token").path("scheme").asString())
                .isEqualTo("bearer");
        assertThat(call("GET", "/actuator/health/readiness", null, null, null).status()).isIn(200, 503);
        var health = call("GET", "/actuator/health", null, null, null);
        assertThat(health.body().has("components")).as("details only for a token").isFalse();
        assertThat(call("GET", "/actuator/health", Grandpa.VIEWER, null, null).body().has("components")).isTrue();
    }

    @Test
    void eachRoleDoesWhatItMayAndNoMore() {
        assertThat(call("GET", "/api/tasks", Grandpa.VIEWER, null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/actuator/prometheus", Grandpa.VIEWER, null, null).status()).isEqualTo(200);
        var refused = call("POST", "/api/tasks", Grandpa.VIEWER, TASK, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("detail").asString()).contains("role");

        var submitted = call("POST", "/api/tasks", Grandpa.OPERATOR, TASK, null);
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.body().path("id").asString();
        assertThat(call("POST", "/api/tasks/" + id + "/cancel", Grandpa.VIEWER, null, null).status()).isEqualTo(403);
        assertThat(call("POST", "/api/tasks/" + id + "/cancel", Grandpa.OPERATOR, null, null).status()).isEqualTo(200);

        assertThat(call("POST", "/api/backends", Grandpa.OPERATOR, BACKEND, null).status()).isEqualTo(403);
        assertThat(call("PATCH", "/api/backends/guarded", Grandpa.OPERATOR, "{\"enabled\":false}", null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/backends", Grandpa.VIEWER, null, null).status()).isEqualTo(200);
    }

    @Test
    void aRequestThatChangesSomethingFromAnotherSitesPageIsRefused() {
        var foreign = call("POST", "/api/tasks", Grandpa.ADMIN, TASK, "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body().path("detail").asString()).contains("another site");
        // reading from elsewhere is harmless without a token in the browser; grandpa's own origin may write
        assertThat(call("GET", "/api/tasks", Grandpa.ADMIN, null, "https://evil.example").status()).isEqualTo(200);
        assertThat(call("POST", "/api/tasks", Grandpa.ADMIN, TASK, grandpa.url("")).status()).isEqualTo(202);
    }

    @Test
    void aTokenThatSubmitsTooFastIsToldToWaitAndOthersAreNot() {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.put("grandpa.model.base-url", "http://127.0.0.1:9/v1");
        properties.put("grandpa.security.submissions-per-minute", "3");
        try (var limited = Grandpa.start(properties)) {
            for (int i = 0; i < 3; i++) {
                assertThat(limited.post("/api/tasks", TASK, java.util.Map.of("Authorization", "Bearer " + Grandpa.OPERATOR))
                        .status()).isEqualTo(202);
            }
            var refused = limited.post("/api/tasks", TASK, java.util.Map.of("Authorization", "Bearer " + Grandpa.OPERATOR));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body().path("detail").asString()).contains("too many tasks");
            assertThat(limited.post("/api/tasks", TASK).status()).isEqualTo(202); // the admin's own allowance
        }
    }

    @Test
    void onAnAddressOtherThanLoopbackWithoutTokensTheServiceRefusesToStart(@TempDir Path dir) {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.keySet().removeIf(k -> k.startsWith("grandpa.security.tokens"));
        properties.put("server.address", "0.0.0.0");
        properties.put("grandpa.security.token-file", dir.resolve("admin.token").toString());
        assertThatThrownBy(() -> Grandpa.start(properties)).hasStackTraceContaining("no API token is configured");
        assertThat(dir.resolve("admin.token")).doesNotExist();
    }

    @Test
    void onLoopbackWithoutTokensAnAdminTokenIsMadeOnceForItsOwnerAlone(@TempDir Path dir) throws Exception {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.keySet().removeIf(k -> k.startsWith("grandpa.security.tokens"));
        Path file = dir.resolve("admin.token");
        properties.put("grandpa.security.token-file", file.toString());
        try (var local = Grandpa.start(properties)) {
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            String token = Files.readString(file).strip();
            assertThat(token).hasSizeGreaterThan(30);
            var request = HttpRequest.newBuilder(URI.create(local.url("/api/tasks")));
            assertThat(Grandpa.send(request.GET().build()).status()).isEqualTo(401);
            assertThat(Grandpa.send(request.header("Authorization", "Bearer " + token).GET().build()).status()).isEqualTo(200);
        }
        try (var again = Grandpa.start(properties)) {
            assertThat(Files.readString(file).strip()).hasSizeGreaterThan(30); // kept, not made anew
        }
    }

    @Test
    void everyPageCarriesAContentSecurityPolicyAndEveryErrorIsProblemDetailsWithoutClassNames() throws Exception {
        var page = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(grandpa.url("/"))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        // what Tomcat refuses before any of grandpa's code runs: a broken escape, a NUL, a character no URL holds
        int port = java.net.URI.create(grandpa.url("/")).getPort();
        for (String target : new String[] {"/api/tasks/%zz", "/api/tasks/a%00b", "/a|b", "/..;/x"}) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).as(target).startsWith("HTTP/1.1 400").contains("application/problem+json", "\"status\":400")
                        .doesNotContain("<html", "Tomcat", "java.", "Exception");
            }
        }
        var badJson = call("POST", "/api/tasks", Grandpa.OPERATOR, "{\"goal\":", null);
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.text()).contains("not valid JSON").doesNotContain("tools.jackson", "Exception");
    }

    @Test
    void textNoDatabaseCanStoreIsRefusedAtEveryDoorAndMetadataHostsAtTheBackendDoor() {
        var rest = call("POST", "/api/tasks", Grandpa.OPERATOR, "{\"goal\":\"a\\u0000b\"}", null);
        assertThat(rest.status()).isEqualTo(400);
        assertThat(rest.text()).contains("NUL");
        var openAi = call("POST", "/v1/chat/completions", Grandpa.OPERATOR,
                "{\"model\":\"grandpa\",\"messages\":[{\"role\":\"user\",\"content\":\"half \\ud800 a pair\"}]}", null);
        assertThat(openAi.status()).isEqualTo(400);
        assertThat(openAi.body().path("error").path("message").asString()).contains("half of a surrogate pair");
        for (String host : new String[] {"169.254.169.254", "[fe80::1]", "metadata.google.internal"}) {
            var backend = call("POST", "/api/backends", Grandpa.ADMIN, "{\"name\":\"meta\",\"baseUrl\":\"http://" + host
                    + "/v1\"}", null);
            assertThat(backend.status()).as(host).isEqualTo(400);
            assertThat(backend.text()).contains("link-local or cloud metadata");
        }
    }
}
