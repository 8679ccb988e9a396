package dev.familiar.grandpa.testkit.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stand-in answers the way llama-server does (see shared/context/llama-server-api.md). */
class StandInLlamaServerTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(StandInLlamaServer server, String path) throws Exception {
        String root = server.baseUrl().replace("/v1", "");
        return http.send(HttpRequest.newBuilder(URI.create(root + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode chat(StandInLlamaServer server, String body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void healthIs503WhileLoadingAndOkAfter() throws Exception {
        try (var server = StandInLlamaServer.start("s", call -> Reply.text("x"))) {
            server.setLoading(true);
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);
            server.setLoading(false);
            assertThat(get(server, "/health").body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(JSON.readTree(get(server, "/v1/models").body()).path("data").get(0).path("meta").has("n_ctx")).isTrue();
        }
    }

    @Test
    void answersCarryTimingsAndCountARepeatedPrefixAsCached() throws Exception {
        try (var server = StandInLlamaServer.start("s", call -> Reply.text("answer to " + call.last("user")))) {
            String first = "{\"messages\":[{\"role\":\"system\",\"content\":\"You are grandpa, always the same.\"},"
                    + "{\"role\":\"user\",\"content\":\"one\"}],\"response_format\":{\"type\":\"json_schema\","
                    + "\"json_schema\":{\"name\":\"plan\",\"schema\":{}}}}";
            JsonNode a = chat(server, first);
            assertThat(a.path("choices").get(0).path("message").path("content").asString()).isEqualTo("answer to one");
            assertThat(a.path("timings").path("cache_n").asInt()).isZero();
            assertThat(a.path("system_fingerprint").asString()).startsWith("stand-in:");
            assertThat(server.received().getFirst().schemaName()).isEqualTo("plan");

            JsonNode b = chat(server, first.replace("\"one\"", "\"two\""));
            int cached = b.path("timings").path("cache_n").asInt();
            assertThat(cached).isPositive();
            assertThat(b.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(cached);
            assertThat(cached + b.path("timings").path("prompt_n").asInt()).isEqualTo(b.path("usage").path("prompt_tokens").asInt());
        }
    }
}
