package dev.familiar.grandpa.runtime.supervise;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a llama-server's {@code GET /health} answers: 200 ready, 503 loading, -1 when nothing answers. */
public final class ServerHealth {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI health;

    public ServerHealth(URI serverUrl) {
        this.health = serverUrl.resolve("/health");
    }

    public int status() throws InterruptedException {
        try {
            var request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
