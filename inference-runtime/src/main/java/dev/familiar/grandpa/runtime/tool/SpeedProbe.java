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
 * (one word repeated, as many times as the server's {@code /tokenize} says make that many; the server says how many
 * it evaluated) and {@link #GENERATED} generated tokens, nothing cached, answered with llama-server's own
 * {@code timings}.
 */
final class SpeedProbe {
    static final int GENERATED = 64;
    private static final String WORD = " plan";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpeedProbe() {}

    /**
     * @param apiKey the server's key when it was started with one (sent to it only), else null
     * @throws IllegalStateException when the server does not answer in time or not as llama-server does
     */
    static ServerTimings measure(String host, int port, String apiKey, int promptTokens, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            int tokens = Math.max(1, promptTokens);
            // the words' tokens in this server's vocabulary (one a word in the usual ones, five in a byte-level one), so
            // the prompt is about promptTokens long whichever model it is
            var counted = post(http, uri(host, port, "/tokenize"), apiKey, deadline,
                    JSON.createObjectNode().put("content", WORD.repeat(tokens)).toString());
            int total = counted.statusCode() == 200 ? JSON.readTree(counted.body()).path("tokens").size() : tokens;
            int words = Math.max(1, (int) ((long) tokens * tokens / Math.max(1, total)));
            var body = JSON.createObjectNode().put("prompt", WORD.repeat(words)).put("n_predict", GENERATED)
                    .put("ignore_eos", true).put("cache_prompt", false).put("temperature", 0);
            var response = post(http, uri(host, port, "/completion"), apiKey, deadline, body.toString());
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

    private static HttpResponse<String> post(HttpClient http, URI uri, String apiKey, long deadline, String json)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where a server listening on {@code host} (any address: loopback) and {@code port} answers {@code path}. */
    static URI uri(String host, int port, String path) {
        String target = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + (target.contains(":") ? "[" + target + "]" : target) + ":" + port + path);
    }
}
