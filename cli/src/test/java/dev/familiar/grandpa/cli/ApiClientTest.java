package dev.familiar.grandpa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP against a real server on loopback (the JDK's): the token sent, a refusal's problem
 * detail as the message, server-sent events read into events with the service's line, a server that is
 * not there.
 */
class ApiClientTest {
    HttpServer server;
    final List<String> authorizations = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/tasks/7", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, 404, "application/problem+json", "{\"title\":\"Not Found\",\"detail\":\"no task 7\"}");
        });
        server.createContext("/api/tasks/8/events", exchange -> answer(exchange, 200, "text/event-stream", """
                id:1
                event:status
                data:{"type":"status","data":{"status":"RUNNING"},"line":"status RUNNING"}

                :heartbeat

                id:2
                event:plan.scheduled
                data:{"type":"plan.scheduled","data":{"version":1}}

                """));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRefusalSaysTheServicesDetailAndTheTokenIsSent() {
        var api = new ApiClient(new Connection(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "secret"));
        assertThatThrownBy(() -> api.get("/api/tasks/7")).isInstanceOf(ApiException.class)
                .hasMessage("the service answered 404: no task 7")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
        assertThat(authorizations).containsExactly("Bearer secret");
    }

    @Test
    void eventsAreReadWithTheirLinesHeartbeatsSkipped() {
        var api = new ApiClient(new Connection(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null));
        var events = new ArrayList<ApiClient.ServerEvent>();
        api.events("/api/tasks/8", 0, () -> false, events::add);
        assertThat(events).extracting(ApiClient.ServerEvent::id).containsExactly(1L, 2L);
        assertThat(events.getFirst().data().path("status").asString()).isEqualTo("RUNNING");
        assertThat(events).extracting(ApiClient.ServerEvent::line).containsExactly("status RUNNING", null);
    }

    @Test
    void aServiceThatIsNotThereIsSaidSo() {
        var api = new ApiClient(new Connection(URI.create("http://127.0.0.1:1"), null));
        assertThatThrownBy(() -> api.get("/api/tasks")).isInstanceOf(ApiException.class)
                .hasMessageContaining("no answer at http://127.0.0.1:1");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
