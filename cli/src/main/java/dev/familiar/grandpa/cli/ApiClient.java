package dev.familiar.grandpa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's REST API as the command-line client calls it, with its bearer token. It uses the JDK's
 * {@link HttpURLConnection}: a plain-HTTP call then costs no TLS set-up, which is most of what a
 * command's start would otherwise wait for (BENCHMARKS.md, "Command-line client").
 */
final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The event stream sends a heartbeat every 15 s: this long without a line, the connection is dead. */
    private static final Duration STREAM_SILENCE = Duration.ofSeconds(60);

    /**
     * One of a task's events as the stream sends it: its id, its type, its data (JSON), and the line a
     * person reads, as the service words it (null for an event that says nothing to a person).
     */
    record ServerEvent(long id, String type, JsonNode data, String line) {}

    /** An answer being read: its status, its headers' values that matter here, and its body. */
    record Answer(int status, String contentType, String session, BufferedReader body) implements AutoCloseable {
        String text() throws IOException {
            var text = new StringBuilder();
            for (String line; (line = body.readLine()) != null; ) {
                text.append(line).append('\n');
            }
            return text.toString();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private final Connection connection;

    ApiClient(Connection connection) {
        this.connection = connection;
    }

    /** A value as one segment of a path (a run's label, say), whatever it holds. */
    static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Where the service is. */
    java.net.URI url() {
        return connection.url();
    }

    JsonNode get(String path) {
        return JSON.readTree(text(path));
    }

    String text(String path) {
        return body(call("GET", path, null, Map.of(), REQUEST_TIMEOUT));
    }

    JsonNode post(String path, Object body) {
        String json = body == null ? "" : JSON.writeValueAsString(body);
        return JSON.readTree(body(call("POST", path, json, Map.of("Content-Type", "application/json"), REQUEST_TIMEOUT)));
    }

    /** Saves what {@code path} answers into a file; returns its size. */
    long download(String path, Path file) {
        HttpURLConnection http = open("GET", path, Map.of(), REQUEST_TIMEOUT);
        try {
            if (status(http) >= 300) {
                throw refused(status(http), errorText(http));
            }
            try (InputStream in = http.getInputStream()) {
                return Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ApiException(0, "saving " + file + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Posts a JSON body with these headers and answers the response as it comes, whatever its status
     * (the caller reads it); no time limit, for an answer that streams as long as the work.
     */
    Answer postStreaming(String path, String json, Map<String, String> headers) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return call("POST", path, json, all, Duration.ZERO);
    }

    /** A DELETE whose answer does not matter (ending a session on the way out). */
    void deleteQuietly(String path, Map<String, String> headers) {
        try {
            status(open("DELETE", path, headers, Duration.ofSeconds(5)));
        } catch (ApiException e) {
            // the service is gone already: nothing to end
        }
    }

    /**
     * Follows a task's event stream from after {@code afterId} until the service ends it (the task is
     * over, or the service stops) or {@code stop} says so; it is asked at every line, heartbeats (every
     * 15 s on a quiet stream) included.
     */
    void events(String taskPath, long afterId, BooleanSupplier stop, Consumer<ServerEvent> onEvent) {
        var headers = Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(afterId));
        try (Answer answer = call("GET", taskPath + "/events", null, headers, STREAM_SILENCE)) {
            if (answer.status() >= 300) {
                throw refused(answer.status(), answer.text());
            }
            long id = 0;
            String type = null;
            var data = new StringBuilder();
            for (String line; (line = answer.body().readLine()) != null; ) {
                if (stop.getAsBoolean()) {
                    return;
                }
                if (line.isEmpty()) {
                    if (type != null && !data.isEmpty()) {
                        JsonNode event = JSON.readTree(data.toString());
                        onEvent.accept(new ServerEvent(id, type, event.path("data"),
                                event.hasNonNull("line") ? event.path("line").asString() : null));
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
        } catch (IOException | UncheckedIOException e) {
            throw new ApiException(0, "the event stream from " + connection.url() + " broke off: " + e.getMessage(), e);
        }
    }

    private Answer call(String method, String path, String body, Map<String, String> headers, Duration readTimeout) {
        HttpURLConnection http = open(method, path, headers, readTimeout);
        try {
            if (body != null) {
                http.setDoOutput(true);
                try (var out = http.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = status(http);
            InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream();
            var reader = new BufferedReader(new InputStreamReader(in == null ? InputStream.nullInputStream() : in,
                    StandardCharsets.UTF_8));
            return new Answer(status, http.getContentType() == null ? "" : http.getContentType(),
                    http.getHeaderField("Mcp-Session-Id"), reader);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private String body(Answer answer) {
        try (answer) {
            String text = answer.text();
            if (answer.status() >= 300) {
                throw refused(answer.status(), text);
            }
            return text;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private HttpURLConnection open(String method, String path, Map<String, String> headers, Duration readTimeout) {
        try {
            var http = (HttpURLConnection) URI.create(connection.url() + path).toURL().openConnection();
            http.setRequestMethod(method);
            http.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            http.setReadTimeout((int) readTimeout.toMillis());
            http.setRequestProperty("Accept", "application/json, text/plain, */*");
            if (connection.token() != null) {
                http.setRequestProperty("Authorization", "Bearer " + connection.token());
            }
            headers.forEach(http::setRequestProperty);
            return http;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private int status(HttpURLConnection http) {
        try {
            return http.getResponseCode();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private static String errorText(HttpURLConnection http) throws IOException {
        try (InputStream in = http.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private ApiException failed(IOException e) {
        if (e instanceof ConnectException) {
            return new ApiException(0, "no answer at " + connection.url() + " (is grandpa running there? --url or "
                    + "GRANDPA_URL says where it is)", e);
        }
        return new ApiException(0, "the exchange with " + connection.url() + " failed: " + e, e);
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
