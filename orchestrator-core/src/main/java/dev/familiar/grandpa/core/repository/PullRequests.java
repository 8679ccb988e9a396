package dev.familiar.grandpa.core.repository;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens pull requests through Gitea's API ({@code POST /api/v1/repos/{owner}/{repo}/pulls}), with the
 * repository's token, which goes to that server only.
 */
public class PullRequests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A pull request asked for: from {@code head} into {@code base}. */
    public record Request(String title, String body, String head, String base) {}

    /**
     * Opens the pull request; when one is open for the branch already, that one stands.
     *
     * @return its web address, or null when Gitea said one exists without saying where
     * @throws IllegalStateException saying what Gitea answered, when it refused
     */
    public String open(Repository repo, Request request) {
        var target = repo.pullRequest();
        String token = token(repo);
        URI uri = URI.create(target.apiUrl().replaceAll("/+$", "") + "/api/v1/repos/" + target.owner() + "/" + target.repo()
                + "/pulls");
        var builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("title", request.title(),
                        "body", request.body(), "head", request.head(), "base", request.base()))));
        if (token != null) {
            builder.header("Authorization", "token " + token);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201 || response.statusCode() == 200) {
                JsonNode pr = JSON.readTree(response.body());
                return pr.path("html_url").isString() ? pr.path("html_url").asString() : pr.path("url").asString(null);
            }
            if (response.statusCode() == 409) {
                return null; // "pull request already exists for these targets": the earlier one stands
            }
            throw new IllegalStateException("Gitea refused the pull request for " + request.head() + " (HTTP "
                    + response.statusCode() + "): " + abbreviate(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Gitea at " + target.apiUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the pull request", e);
        }
    }

    private static String token(Repository repo) {
        String env = repo.spec().credentialsEnv();
        if (env == null) {
            return null;
        }
        String token = System.getenv(env);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("repository " + repo.name() + ": environment variable " + env + " holds no token");
        }
        return token;
    }

    private static String abbreviate(String body) {
        String b = body == null ? "" : body.strip();
        return b.length() <= 500 ? b : b.substring(0, 500) + "…";
    }
}
