package dev.familiar.grandpa.core.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** grandpa's REST API as the command-line client calls it, with its bearer token. */
final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** One server-sent event: its id, its type and its data (JSON). */
    record ServerEvent(long id, String type, JsonNode data) {}

    private final Connection connection;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(Connection connection) {
        this.connection = connection;
    }

    JsonNode get(String path) {
        return JSON.readTree(send(request(path).GET().build()));
    }

    String text(String path) {
        return send(request(path).GET().build());
    }

    /** Saves what {@code path} answers into a file; returns its size. */
    long download(String path, java.nio.file.Path file) {
        HttpResponse<java.io.InputStream> response = exchange(authorized(HttpRequest.newBuilder(uri(path))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var body = response.body()) {
            if (response.statusCode() >= 300) {
                throw refused(response.statusCode(), new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.nio.file.Files.copy(body, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ApiException(0, "saving " + file + " failed: " + e.getMessage(), e);
        }
    }

    JsonNode post(String path, Object body) {
        String json = body == null ? "" : JSON.writeValueAsString(body);
        return JSON.readTree(send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build()));
    }

    /**
     * Follows a task's event stream from after {@code afterId} until the service ends it (the task is
     * over, or the service stops) or {@code stop} says so; it is asked at every line, heartbeats (every
     * 15 s on a quiet stream) included.
     */
    void events(String taskPath, long afterId, BooleanSupplier stop, Consumer<ServerEvent> onEvent) {
        HttpRequest request = authorized(HttpRequest.newBuilder(uri(taskPath + "/events")))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(afterId))
                .GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 300) {
            throw refused(response.statusCode(), String.join("\n", response.body().toList()));
        }
        long id = 0;
        String type = null;
        var data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (stop.getAsBoolean()) {
                    return;
                }
                if (line.isEmpty()) {
                    if (type != null && !data.isEmpty()) {
                        onEvent.accept(new ServerEvent(id, type, JSON.readTree(data.toString()).path("data")));
                    }
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw new ApiException(0, "the event stream from " + connection.url() + " broke off: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(uri(path))).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, text/plain, */*");
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return connection.token() == null ? builder : builder.header("Authorization", "Bearer " + connection.token());
    }

    private URI uri(String path) {
        return URI.create(connection.url() + path);
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw refused(response.statusCode(), response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new ApiException(0, "no answer at " + connection.url() + " (is grandpa running there? --url or "
                    + "GRANDPA_URL says where it is)", e);
        } catch (IOException e) {
            throw new ApiException(0, "the exchange with " + connection.url() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", e);
        }
    }

    /** The problem's detail when the service sent one (RFC 9457), else the body. */
    private ApiException refused(int status, String body) {
        String detail = body;
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.hasNonNull("detail")) {
                detail = problem.path("detail").asString();
            } else if (problem.hasNonNull("title")) {
                detail = problem.path("title").asString();
            }
        } catch (RuntimeException e) {
            // not JSON: the body as it is
        }
        String hint = status == 401 ? " (no valid token: --token, GRANDPA_TOKEN or the configuration file gives one)" : "";
        return new ApiException(status, "the service answered " + status + ": " + (detail == null ? "" : detail.strip()) + hint, null);
    }
}
