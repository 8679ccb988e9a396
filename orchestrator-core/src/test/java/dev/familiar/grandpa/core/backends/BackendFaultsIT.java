package dev.familiar.grandpa.core.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Each way a coder backend misbehaves, through the whole service: the attempt ends with a classified
 * error and the subtask completes on the healthy backend.
 */
class BackendFaultsIT {
    static Models models;
    static Grandpa grandpa;

    @BeforeAll
    static void start() {
        models = new Models("faulty", "healthy");
        // no memory of earlier cases: routing would learn to avoid the faulty backend (RouterTest shows that)
        grandpa = Grandpa.forCases(models);
    }

    @AfterAll
    static void stop() {
        grandpa.close();
        models.close();
    }

    @BeforeEach
    void freshGuards() {
        models.scriptedAgain();
        grandpa.resetBackends(); // a new circuit breaker for every case
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("answers 500", (Responder) call -> Reply.error(500, "CUDA error: out of memory"), "SERVER_ERROR"),
                Arguments.of("answers too slowly", (Responder) call -> Reply.text("late").after(Duration.ofSeconds(5)), "TIMEOUT"),
                Arguments.of("resets the connection", (Responder) call -> Reply.hangUp(), "CONNECTION_LOST"),
                // the engine streams: a body with no events carries no answer; events that are not JSON are malformed
                Arguments.of("sends a page instead of events", (Responder) call -> Reply.raw("<html>bad gateway</html>"), "EMPTY_RESPONSE"),
                Arguments.of("sends events that are not JSON", (Responder) call -> Reply.raw("data: {\"choices\": [oops\n\n"), "MALFORMED_RESPONSE"),
                Arguments.of("cuts its body short", (Responder) call -> Reply.truncatedBody(), "CONNECTION_LOST"),
                Arguments.of("streams a body that never ends", (Responder) call -> Reply.endlessBody(), "TIMEOUT"),
                Arguments.of("streams tokens without end", (Responder) call -> Reply.endlessStream(), "TIMEOUT"),
                Arguments.of("answers with nothing", (Responder) call -> Reply.text(""), "EMPTY_RESPONSE"));
    }

    @ParameterizedTest(name = "a backend that {0}")
    @MethodSource("faults")
    void theAttemptIsClassifiedAndTheSubtaskCompletesElsewhere(String fault, Responder responder, String kind) {
        models.coder("faulty").respondWith(responder);
        UUID id = grandpa.submit("Survive a backend that " + fault);
        JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");
        assertOutcome(task, kind);
    }

    @Test
    void aBackendKilledMidRequestIsReplacedAndComesBackWhenRestarted() {
        StandInLlamaServer faulty = models.coder("faulty");
        int port = java.net.URI.create(faulty.baseUrl()).getPort();
        faulty.respondWith(call -> Reply.text("never sent").after(Duration.ofSeconds(1)));
        UUID id = grandpa.submit("Survive a backend killed mid-request");
        await().atMost(Duration.ofSeconds(20)).until(() -> faulty.calls() > 0);
        faulty.close();

        JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE");
        assertThat(list(task.path("attempts"))).filteredOn(a -> a.path("backend").asString().equals("faulty"))
                .isNotEmpty().allMatch(a -> a.path("status").asString().equals("FAILED")
                        && List.of("CONNECTION_LOST", "UNREACHABLE", "CIRCUIT_OPEN").contains(a.path("errorKind").asString()));
        assertThat(list(task.path("subtasks"))).allMatch(s -> s.path("status").asString().equals("ACCEPTED"));

        var restarted = StandInLlamaServer.start("faulty", port, new StandInCoder("faulty"));
        models.coders.put("faulty", restarted);
        var backend = grandpa.context().getBean(BackendRegistry.class).find("faulty").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            backend.probe();
            return backend.available();
        });
    }

    /** Later calls in a task may find the faulty backend's circuit already opened by the earlier ones. */
    private static void assertOutcome(JsonNode task, String kind) {
        var attempts = list(task.path("attempts"));
        var faulty = attempts.stream().filter(a -> a.path("backend").asString().equals("faulty")).toList();
        assertThat(faulty).as(attempts.toString()).isNotEmpty()
                .allMatch(a -> a.path("status").asString().equals("FAILED")
                        && List.of(kind, "CIRCUIT_OPEN").contains(a.path("errorKind").asString()))
                .anyMatch(a -> a.path("errorKind").asString().equals(kind));
        assertThat(attempts).filteredOn(a -> a.path("status").asString().equals("SUCCEEDED"))
                .allMatch(a -> a.path("backend").asString().equals("healthy"));
        assertThat(list(task.path("subtasks"))).allMatch(s -> s.path("status").asString().equals("ACCEPTED"));
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
