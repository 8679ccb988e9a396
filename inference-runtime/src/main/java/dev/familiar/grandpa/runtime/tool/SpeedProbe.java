package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.supervise.ServerTimings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code placement --verify}'s one request to the server it started: a prompt of about {@code promptTokens} tokens
 * (one word repeated: a token each in the usual vocabularies; the server says how many it evaluated) and
 * {@link #GENERATED} generated tokens, nothing cached, answered with llama-server's own {@code timings}.
 */
final class SpeedProbe {
    static final int GENERATED = 64;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpeedProbe() {}

    /**
     * @param apiKey the server's key when it was started with one (sent to it only), else null
     * @throws IllegalStateException when the server does not answer in time or not as llama-server does
     */
    static ServerTimings measure(String host, int port, String apiKey, int promptTokens, Duration limit) {
        String target = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        var body = JSON.createObjectNode().put("prompt", " plan".repeat(Math.max(1, promptTokens)))
                .put("n_predict", GENERATED).put("ignore_eos", true).put("cache_prompt", false).put("temperature", 0);
        var request = HttpRequest.newBuilder(URI.create("http://" + (target.contains(":") ? "[" + target + "]" : target)
                        + ":" + port + "/completion"))
                .timeout(limit).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the server answered " + response.statusCode() + ": "
                        + response.body().substring(0, Math.min(200, response.body().length())));
            }
            LlamaTimings timings = LlamaTimings.from(JSON.readTree(response.body()));
            if (timings == null) {
                throw new IllegalStateException("the server's answer has no timings");
            }
            return ServerTimings.of(timings.promptN(), timings.promptMs(), timings.predictedN(), timings.predictedMs());
        } catch (IOException e) {
            throw new IllegalStateException("the server did not answer a request: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the server answered", e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalStateException("the server's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
