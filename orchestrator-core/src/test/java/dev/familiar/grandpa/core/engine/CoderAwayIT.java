package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The only coder goes away (a restart, a model swap: its port refuses connections) and comes back.
 * Nothing of that is a failure of the work: the tasks wait, saying why, spend no rung of recovery, and
 * go on by themselves once it answers; also after grandpa itself restarted meanwhile, before it has
 * probed the coder even once.
 */
class CoderAwayIT {

    @Test
    void tasksWaitForACoderThatIsAwayAndGoOnWhenItIsBackAcrossARestart() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // the coder's port, refusing connections until it is back
        }
        var db = TestPostgres.newDatabase();
        try (var model = StandInLlamaServer.start("stand-in-grandpa", new StandInGrandpa())) {
            var properties = Grandpa.defaults(db);
            properties.put("grandpa.model.base-url", model.baseUrl());
            properties.put("grandpa.backends[0].name", "coder");
            properties.put("grandpa.backends[0].base-url", "http://127.0.0.1:" + port + "/v1");
            properties.put("grandpa.backends[0].slots", "4");
            properties.put("grandpa.backends[0].timeout", "5s");
            properties.put("grandpa.delegation.probe-interval", "300ms");
            properties.put("grandpa.delegation.retry-backoff", "50ms");
            properties.put("grandpa.engine.model-retry-interval", "300ms");
            properties.put("grandpa.engine.replans", "0");
            var ids = new ArrayList<UUID>();
            try (var grandpa = Grandpa.start(properties)) {
                for (int i = 0; i < 3; i++) {
                    ids.add(grandpa.submit("Task " + i + " while the coder is away"));
                }
                for (UUID id : ids) {
                    await("task waiting").atMost(Duration.ofSeconds(30)).until(() ->
                            grandpa.task(id).path("status").asString().equals("WAITING"));
                    JsonNode task = grandpa.task(id);
                    assertThat(task.path("statusReason").asString()).contains("waits for a backend with capability",
                            "coder");
                }
            }
            // grandpa restarts while the coder is still away: nothing was probed yet when work is taken up again
            try (var grandpa = Grandpa.start(properties)) {
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
                for (UUID id : ids) {
                    assertThat(grandpa.task(id).path("status").asString()).isIn("WAITING", "RUNNING", "PLANNING");
                }
                try (var coder = StandInLlamaServer.start("coder", port, new StandInCoder("coder"))) {
                    for (UUID id : ids) {
                        JsonNode task = grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE", "BLOCKED");
                        assertThat(task.path("status").asString()).as(task.path("statusReason").asString())
                                .isEqualTo("DONE");
                        assertThat(list(task.path("recoveries"))).as("no rung spent on the coder's absence").isEmpty();
                        assertThat(list(task.path("attempts"))).filteredOn(a -> a.path("status").asString().equals("FAILED"))
                                .allSatisfy(a -> assertThat(a.path("errorKind").asString())
                                        .isIn("UNREACHABLE", "CIRCUIT_OPEN", "CONNECTION_LOST"));
                        assertThat(list(task.path("events"))).noneSatisfy(e -> assertThat(e.path("data").toString())
                                .contains("9223372036854775807"));
                    }
                    assertThat(coder.received()).isNotEmpty();
                }
            }
        }
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
