package dev.familiar.grandpa.testkit.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Gitea's pull request endpoint ({@code POST /api/v1/repos/{owner}/{repo}/pulls}), on
 * loopback: it checks the token and the fields Gitea requires, answers as Gitea does (201 with the
 * pull request's number and address; 409 when one is open for the same branches; 401, 422), and
 * keeps what it was sent. Not Gitea: it stores nothing else and merges nothing.
 */
public final class StandInGitea implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandInGitea.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PULLS = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/pulls");

    /** A pull request as it was asked for, with the Authorization header it came with. */
    public record PullRequest(String owner, String repo, String title, String body, String head, String base,
                              String authorization) {}

    private final HttpServer http;
    private final String token;
    private final List<PullRequest> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger numbers = new AtomicInteger();

    private StandInGitea(HttpServer http, String token) {
        this.http = http;
        this.token = token;
    }

    /** @param token the API token it accepts ({@code Authorization: token <token>}) */
    public static StandInGitea start(String token) {
        try {
            var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            var gitea = new StandInGitea(http, token);
            http.createContext("/api/v1/repos/", gitea::pulls);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            log.info("STAND-IN Gitea (not Gitea: pull requests only) listening on {}", gitea.url());
            return gitea;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the stand-in Gitea", e);
        }
    }

    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort();
    }

    public List<PullRequest> opened() {
        return List.copyOf(opened);
    }

    private void pulls(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = PULLS.matcher(exchange.getRequestURI().getPath());
            if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
                send(exchange, 404, "{\"message\":\"not found\"}");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("token " + token).equals(auth)) {
                send(exchange, 401, "{\"message\":\"token is required\"}");
                return;
            }
            JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String head = body.path("head").asString("");
            String base = body.path("base").asString("");
            String title = body.path("title").asString("");
            if (head.isEmpty() || base.isEmpty() || title.isEmpty()) {
                send(exchange, 422, "{\"message\":\"head, base and title are required\"}");
                return;
            }
            boolean exists = opened.stream().anyMatch(p -> p.owner().equals(m.group(1)) && p.repo().equals(m.group(2))
                    && p.head().equals(head) && p.base().equals(base));
            if (exists) {
                send(exchange, 409, "{\"message\":\"pull request already exists for these targets\"}");
                return;
            }
            opened.add(new PullRequest(m.group(1), m.group(2), title, body.path("body").asString(""), head, base, auth));
            int number = numbers.incrementAndGet();
            String htmlUrl = url() + "/" + m.group(1) + "/" + m.group(2) + "/pulls/" + number;
            send(exchange, 201, JSON.writeValueAsString(java.util.Map.of("number", number, "html_url", htmlUrl,
                    "state", "open", "title", title)));
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
