package dev.familiar.grandpa.runtime.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * llama-server's slot files ({@code --slot-save-path}): a slot's KV cache saved to disk at a
 * checkpoint and restored into a restarted server, so the next request does not evaluate the whole
 * session again.
 */
public final class SlotStore {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI server;
    private final String apiKey;

    /**
     * @param server the server's root, e.g. {@code http://127.0.0.1:8000}
     * @param apiKey the server's {@code --api-key}, sent with every request; null when it has none
     */
    public SlotStore(URI server, String apiKey) {
        this.server = server;
        this.apiKey = apiKey;
    }

    /** @return whether the server saved it */
    public boolean save(int slot, String filename) {
        return post(slot, "save", filename);
    }

    /** @return whether the server restored it */
    public boolean restore(int slot, String filename) {
        return post(slot, "restore", filename);
    }

    private boolean post(int slot, String action, String filename) {
        try {
            var request = HttpRequest.newBuilder(server.resolve("/slots/" + slot + "?action=" + action))
                    .timeout(Duration.ofMinutes(5)) // a large KV cache takes a while to write or read
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"" + filename + "\"}"));
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
