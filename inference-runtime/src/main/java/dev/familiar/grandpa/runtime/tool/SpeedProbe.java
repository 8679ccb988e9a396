package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.client.LlamaTimings;
import dev.familiar.grandpa.runtime.supervise.ServerTimings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code placement --verify}'s request to the server it started: {@code promptTokens} random token ids of the model's
 * vocabulary (as llama-bench sends, which the planner's speed terms were read off) and {@link #GENERATED} generated
 * tokens, nothing cached, answered with llama-server's own {@code timings}; after one warm-up request of the same size.
 * Random ids, because a prompt of one word repeated routes every token to the same experts, and mainline's scheduler
 * then copies only those to the GPU: on the H200 that made a split placement's prompt 2.2 times as fast as the same
 * server with varied tokens. The warm-up, because a server's first prompt is slower than its next (5,223-5,626 tokens
 * a second against 7,322 with every expert on the GPU; BENCHMARKS.md, "Seventh and eighth leases").
 */
final class SpeedProbe {
    static final int GENERATED = 64;
    private static final int WARM_UP_GENERATED = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpeedProbe() {}

    /**
     * @param vocabulary the model's number of tokens (the ids are drawn below it)
     * @param apiKey     the server's key when it was started with one (sent to it only), else null
     * @throws IllegalStateException when the server does not answer in time or not as llama-server does
     */
    static ServerTimings measure(String host, int port, String apiKey, int promptTokens, long vocabulary,
                                 Duration limit) {
        if (vocabulary < 1) {
            throw new IllegalStateException("the model's vocabulary size is unknown, so no prompt could be made");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        var random = new SplittableRandom(promptTokens); // the same ids every time, as llama-bench's seeded rand()
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            complete(http, host, port, apiKey, deadline, prompt(random, promptTokens, vocabulary), WARM_UP_GENERATED);
            JsonNode answer = complete(http, host, port, apiKey, deadline, prompt(random, promptTokens, vocabulary),
                    GENERATED);
            LlamaTimings timings = LlamaTimings.from(answer);
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

    private static ArrayNode prompt(SplittableRandom random, int tokens, long vocabulary) {
        ArrayNode ids = JSON.createArrayNode();
        random.longs(Math.max(1, tokens), 0, vocabulary).forEach(ids::add);
        return ids;
    }

    private static JsonNode complete(HttpClient http, String host, int port, String apiKey, long deadline,
                                     ArrayNode prompt, int generated) throws IOException, InterruptedException {
        var body = JSON.createObjectNode().put("n_predict", generated).put("ignore_eos", true)
                .put("cache_prompt", false).put("temperature", 0);
        body.set("prompt", prompt);
        var response = post(http, uri(host, port, "/completion"), apiKey, deadline, body.toString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(200, response.body().length())));
        }
        return JSON.readTree(response.body());
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
