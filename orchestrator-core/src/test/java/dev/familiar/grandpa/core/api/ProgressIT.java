package dev.familiar.grandpa.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Watching a task: while grandpa's model writes a plan, its streamed tokens come out as a few
 * {@code model.progress} events a second, not one stored row per token; and an event stream with
 * nothing to say sends a heartbeat comment within 20 s (the default is every 15 s).
 */
class ProgressIT {
    @Test
    void aPlanBeingWrittenShowsProgressAndAQuietStreamGetsAHeartbeat() throws Exception {
        var http = HttpClient.newHttpClient();
        try (var models = new Models("slow")) {
            models.grandpa.setStreamInterval(Duration.ofMillis(60)); // 16 characters every 60 ms
            // a coder that says nothing for a minute: after the plan the task's stream goes quiet
            models.coder("slow").respondWith(call -> Reply.text("done").after(Duration.ofSeconds(60)));
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(1, Duration.ofSeconds(90)));
            properties.put("grandpa.engine.shutdown-grace", "1s"); // the slow coder's call is cut off at the end
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Add a /healthz endpoint with a test");
                var lines = new CopyOnWriteArrayList<String>();
                var stream = http.sendAsync(grandpa.request("/api/tasks/" + id + "/events").GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                stream.thenAccept(response -> response.body().forEach(lines::add));

                await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains("planned")));
                JsonNode task = grandpa.task(id);
                List<JsonNode> progress = StreamSupport.stream(task.path("events").spliterator(), false)
                        .filter(e -> e.path("type").asString().equals("model.progress")).map(e -> e.path("data")).toList();
                JsonNode call = StreamSupport.stream(task.path("events").spliterator(), false)
                        .filter(e -> e.path("type").asString().equals("model.call")).findFirst().orElseThrow().path("data");
                long wallMs = call.path("wallMs").asLong();
                assertThat(wallMs).as("the plan took seconds to stream").isGreaterThan(1500);
                assertThat(progress).hasSizeGreaterThanOrEqualTo(2)
                        .hasSizeLessThanOrEqualTo((int) (wallMs / 500) + 1) // twice a second at most
                        .allSatisfy(p -> {
                            assertThat(p.path("purpose").asString()).isEqualTo("plan");
                            assertThat(p.path("tail").asString()).isNotEmpty().hasSizeLessThanOrEqualTo(160);
                        });
                assertThat(progress.getLast().path("tokens").asInt()).isGreaterThan(progress.getFirst().path("tokens").asInt());
                assertThat(progress.getLast().path("chars").asInt()).isGreaterThan(progress.getFirst().path("chars").asInt());
                assertThat(lines).anyMatch(l -> l.equals("event:model.progress"));

                int seen = lines.size();
                long quietFrom = System.nanoTime();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> lines.subList(seen, lines.size()).stream()
                                .anyMatch(l -> l.startsWith(":") && l.contains("heartbeat")));
                assertThat(Duration.ofNanos(System.nanoTime() - quietFrom)).isLessThan(Duration.ofSeconds(20));
            }
        } finally {
            http.shutdownNow();
        }
    }
}
