package dev.familiar.grandpa.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API's contract: what it accepts, the problem details it answers to bad input, and that
 * tasks wait (saying why) while no model can be reached.
 */
class TaskApiIT {
    static Grandpa grandpa;

    @BeforeAll
    static void start() {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        // Nothing listens on port 9 of loopback: the model is unreachable, so tasks wait.
        properties.put("grandpa.model.base-url", "http://127.0.0.1:9/v1");
        properties.put("grandpa.backends[0].name", "nowhere");
        properties.put("grandpa.backends[0].base-url", "http://127.0.0.1:9/v1");
        grandpa = Grandpa.start(properties);
    }

    @AfterAll
    static void stop() {
        grandpa.close();
    }

    @Test
    void aSubmittedTaskIsStoredAndWaitsForTheModelSayingWhy() {
        var response = grandpa.post("/api/tasks", """
                {"goal":"Write a changelog","title":"changelog","labels":["docs"],
                 "priority":5,"acceptanceCommand":"make check"}""");
        assertThat(response.status()).isEqualTo(202);
        UUID id = UUID.fromString(response.body().path("id").asString());

        var task = grandpa.awaitStatus(id, Duration.ofSeconds(20), "WAITING");
        assertThat(task.path("statusReason").asString()).contains("grandpa model", "unreachable", "127.0.0.1:9");
        assertThat(task.path("title").asString()).isEqualTo("changelog");
        assertThat(task.path("labels").get(0).asString()).isEqualTo("docs");
        assertThat(task.path("priority").asInt()).isEqualTo(5);
        assertThat(task.path("acceptanceCommand").asString()).isEqualTo("make check");
    }

    @Test
    void aMissingGoalIsA400ProblemNamingTheField() {
        var response = grandpa.post("/api/tasks", "{\"title\":\"no goal\"}");
        assertProblem(response, 400, "goal");
    }

    @Test
    void wrongTypesAndOutOfRangeValuesAre400() {
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"priority\":\"high\"}"), 400, "priority");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"labels\":{\"a\":1}}"), 400, "labels");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"priority\":99}"), 400, "priority");
        assertProblem(grandpa.post("/api/tasks", "[1,2,3]"), 400, "not valid JSON");
    }

    @Test
    void aBodyIsReadStrictly() {
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":5}"), 400, "goal");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"priority\":10.5}"), 400, "priority");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"priority\":\"5\"}"), 400, "priority");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"status\":\"DONE\"}"), 400, "status");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"a\\u0000b\"}"), 400, "NUL");
        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"x\",\"labels\":[\"\\ud800\"]}"), 400, "surrogate");
        assertProblem(grandpa.post("/api/tasks/" + UUID.randomUUID() + "/resume", "{\"note\":\"a\\u0000\"}"), 400, "NUL");
        // a whole surrogate pair is fine
        assertThat(grandpa.post("/api/tasks", "{\"goal\":\"rocket \\ud83d\\ude80\"}").status()).isEqualTo(202);
    }

    @Test
    void aBodyThatIsNotJsonIs400AndAnotherMediaTypeIs415() {
        assertProblem(grandpa.post("/api/tasks", "goal=write things"), 400, "not valid JSON");
        var plain = Grandpa.send(grandpa.request("/api/tasks")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("write things")).build());
        assertThat(plain.status()).isEqualTo(415);
    }

    @Test
    void aTenMegabyteBodyIs413WhetherItsLengthIsDeclaredOrNot() {
        String big = "{\"goal\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        assertProblem(grandpa.post("/api/tasks", big), 413, "larger than the limit");

        var chunked = Grandpa.send(grandpa.request("/api/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
        assertProblem(chunked, 413, "larger than the limit");
    }

    @Test
    void unknownAndMalformedIdsAre404And400() {
        assertProblem(grandpa.get("/api/tasks/" + UUID.randomUUID()), 404, "no task has id");
        assertThat(grandpa.get("/api/tasks/not-a-uuid").status()).isEqualTo(400);
        assertThat(grandpa.post("/api/tasks/" + UUID.randomUUID() + "/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameTaskAndADifferentBodyIsAConflict() {
        var key = Map.of("Idempotency-Key", "order-" + UUID.randomUUID());
        var first = grandpa.post("/api/tasks", "{\"goal\":\"Once only\"}", key);
        var again = grandpa.post("/api/tasks", "{\"goal\":\"Once only\"}", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("id").asString()).isEqualTo(first.body().path("id").asString());
        assertThat(again.body().path("created").asBoolean()).isFalse();

        assertProblem(grandpa.post("/api/tasks", "{\"goal\":\"Something else\"}", key), 409, "different request");
    }

    @Test
    void cancelStopsATaskOnceAndResumeNeedsABlockedTask() {
        UUID id = grandpa.submit("Cancel me");
        var cancelled = grandpa.post("/api/tasks/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asString()).isEqualTo("CANCELLED");
        assertProblem(grandpa.post("/api/tasks/" + id + "/cancel", ""), 409, "already CANCELLED");
        assertProblem(grandpa.post("/api/tasks/" + id + "/resume", ""), 409, "only a BLOCKED task");
    }

    @Test
    void listingFiltersByStatusAndPages() {
        UUID cancelled = grandpa.submit("Listed and cancelled");
        grandpa.post("/api/tasks/" + cancelled + "/cancel", "");

        var page = grandpa.get("/api/tasks?status=CANCELLED&size=200");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().path("items").valueStream().map(t -> t.path("id").asString())).contains(cancelled.toString());
        assertThat(page.body().path("items").valueStream().map(t -> t.path("status").asString())).containsOnly("CANCELLED");
        assertThat(grandpa.get("/api/tasks?size=1").body().path("items")).hasSize(1);
        assertThat(grandpa.get("/api/tasks?status=SLEEPING").status()).isEqualTo(400);
        assertThat(grandpa.get("/api/tasks?size=100000").status()).isEqualTo(400);
    }

    @Test
    void theEventStreamReplaysStoredEventsAndEndsWithTheTask() {
        UUID id = grandpa.submit("Stream me");
        grandpa.post("/api/tasks/" + id + "/cancel", "");

        var stream = grandpa.get("/api/tasks/" + id + "/events");
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.text()).contains("event:submitted", "event:status", "CANCELLED");

        String firstId = stream.text().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3);
        var resumed = Grandpa.send(grandpa.request("/api/tasks/" + id + "/events")
                .header("Last-Event-ID", firstId).GET().build());
        assertThat(resumed.text()).doesNotContain("event:submitted").contains("CANCELLED");
    }

    @Test
    void anOpenApiDocumentIsServed() {
        var doc = grandpa.get("/v3/api-docs");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().path("paths").has("/api/tasks")).isTrue();
        assertThat(doc.body().path("paths").has("/api/tasks/{id}/resume")).isTrue();
    }

    static void assertProblem(Grandpa.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.body()).as("a problem details body: " + response.text()).isNotNull();
        assertThat(response.body().path("status").asInt()).isEqualTo(status);
        assertThat(response.body().path("detail").asString()).contains(detailContains);
    }
}
