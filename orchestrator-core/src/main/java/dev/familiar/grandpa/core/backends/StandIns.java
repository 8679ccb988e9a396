package dev.familiar.grandpa.core.backends;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a model endpoint says it is a stand-in rather than a real model: a stand-in's {@code /v1/models}
 * lists itself as {@code owned_by: stand-in}. Asked without a key; an endpoint that does not answer in
 * two seconds is taken for a real one.
 */
public final class StandIns {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration ASK_FOR = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ASK_FOR).build();

    private StandIns() {}

    public static CompletableFuture<Boolean> ask(String baseUrl) {
        if (baseUrl == null) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            var request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/models"))
                    .timeout(ASK_FOR).GET().build();
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 && saysStandIn(JSON.readTree(response.body())))
                    .exceptionally(e -> false);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private static boolean saysStandIn(JsonNode models) {
        for (JsonNode model : models.path("data")) {
            if ("stand-in".equals(model.path("owned_by").asString(""))) {
                return true;
            }
        }
        return false;
    }
}
