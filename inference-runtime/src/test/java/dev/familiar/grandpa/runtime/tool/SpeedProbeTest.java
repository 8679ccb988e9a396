package dev.familiar.grandpa.runtime.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The probe's requests as a server on loopback receives them: a stand-in for llama-server's {@code /completion} (not
 * a model) that keeps each request's body and answers with timings shaped like llama-server's, 1 ms a prompt token
 * and 10 ms a generated one.
 */
class SpeedProbeTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/completion", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            received.add(body);
            int prompt = body.path("prompt").size(), generated = body.path("n_predict").asInt();
            byte[] answer = String.format("{\"content\":\"\",\"timings\":{\"cache_n\":0,\"prompt_n\":%d,\"prompt_ms\":%d,"
                    + "\"predicted_n\":%d,\"predicted_ms\":%d}}", prompt, prompt, generated, 10 * generated)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void asksForRandomTokensOfTheVocabularyAfterAWarmUpAndReadsTheSecondAnswer() {
        var timings = SpeedProbe.measure("127.0.0.1", server.getAddress().getPort(), null, 2048, 151_936,
                Duration.ofSeconds(30));

        assertThat(received).hasSize(2);
        assertThat(received.getFirst().path("n_predict").asInt()).isEqualTo(16);
        JsonNode asked = received.getLast();
        assertThat(asked.path("n_predict").asInt()).isEqualTo(64);
        assertThat(asked.path("ignore_eos").asBoolean()).isTrue();
        assertThat(asked.path("cache_prompt").asBoolean(true)).isFalse();
        // ids all over the vocabulary, not one word repeated (which routes every token to the same experts), and not
        // the warm-up's
        var ids = new HashSet<Long>();
        asked.path("prompt").forEach(id -> ids.add(id.asLong()));
        assertThat(asked.path("prompt").size()).isEqualTo(2048);
        assertThat(ids).hasSizeGreaterThan(2000).allMatch(id -> id >= 0 && id < 151_936);
        assertThat(ids).anyMatch(id -> id < 15_000).anyMatch(id -> id > 137_000);
        assertThat(received.getFirst().path("prompt")).isNotEqualTo(asked.path("prompt"));
        assertThat(timings.prompt().tokens()).isEqualTo(2048);
        assertThat(timings.prompt().tokensPerSecond()).isEqualTo(1000);
        assertThat(timings.generation().tokens()).isEqualTo(64);
        assertThat(timings.generation().tokensPerSecond()).isEqualTo(100);
    }

    @Test
    void withoutTheModelsVocabularyItAsksNothing() {
        assertThatThrownBy(() -> SpeedProbe.measure("127.0.0.1", server.getAddress().getPort(), null, 2048, 0,
                Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class).hasMessageContaining("vocabulary");
        assertThat(received).isEmpty();
    }
}
