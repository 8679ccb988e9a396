package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What survives a stopped service, and what two services on one database share. */
class RestartAndSharingIT {

    @Test
    void aTaskStoppedMidwayFinishesAfterARestartWithNoStageDoneTwice() {
        var db = TestPostgres.newDatabase();
        try (var models = new Models("coder-a", "coder-b")) {
            models.coders.forEach((name, server) -> server.respondWith(
                    call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofSeconds(2))));
            var properties = Grandpa.defaults(db);
            properties.putAll(models.properties(2, Duration.ofSeconds(10)));
            properties.put("grandpa.engine.shutdown-grace", "0s"); // the calls running are cut off

            UUID id;
            try (var first = Grandpa.start(properties)) {
                id = first.submit("Survive a restart");
                await().atMost(Duration.ofSeconds(20)).until(() -> events(first.task(id)).contains("attempt.started"));
            } // stopped while the coders are still answering

            try (var second = Grandpa.start(properties)) {
                JsonNode task = second.awaitStatus(id, Duration.ofSeconds(60), "DONE");

                assertThat(events(task).stream().filter("planned"::equals)).hasSize(1);
                assertThat(task.path("plans")).hasSize(1);
                Map<String, List<String>> bySubtask = new HashMap<>();
                for (JsonNode a : list(task.path("attempts"))) {
                    bySubtask.computeIfAbsent(a.path("subtaskId").asString(), k -> new ArrayList<>())
                            .add(a.path("status").asString());
                }
                assertThat(bySubtask).as(task.path("attempts").toString()).hasSize(3);
                String attempts = task.path("attempts").toString();
                bySubtask.values().forEach(statuses -> {
                    // An interrupted backend call is the one thing that may be made twice.
                    assertThat(statuses.stream().filter("SUCCEEDED"::equals)).hasSize(1);
                    assertThat(statuses).as(attempts).allMatch(s -> s.equals("SUCCEEDED") || s.equals("INTERRUPTED"));
                });
                assertThat(bySubtask.values().stream().flatMap(List::stream)).contains("INTERRUPTED");
                assertThat(list(task.path("evaluations"))).hasSize(3);
                assertThat(events(task).stream().filter("subtask.accepted"::equals)).hasSize(3);
            }
        }
    }

    @Test
    void twoInstancesOnOneDatabaseShareFiftyTasksAndNeverWorkOneTogether() {
        var db = TestPostgres.newDatabase();
        try (var modelsA = new Models("coder-1", "coder-2"); var modelsB = new Models("coder-1", "coder-2")) {
            for (var models : List.of(modelsA, modelsB)) {
                models.coders.forEach((name, server) -> server.respondWith(
                        call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofMillis(30))));
            }
            var a = Grandpa.defaults(db);
            a.putAll(modelsA.properties(4, Duration.ofSeconds(10)));
            a.put("grandpa.engine.worker-name", "instance-a");
            var b = Grandpa.defaults(db);
            b.putAll(modelsB.properties(4, Duration.ofSeconds(10)));
            b.put("grandpa.engine.worker-name", "instance-b");

            try (var instanceA = Grandpa.start(a); var instanceB = Grandpa.start(b)) {
                var ids = new ArrayList<UUID>();
                for (int i = 0; i < 50; i++) {
                    ids.add((i % 2 == 0 ? instanceA : instanceB).submit("Shared task number " + i + "."));
                }
                for (UUID id : ids) {
                    instanceA.awaitStatus(id, Duration.ofSeconds(90), "DONE");
                }

                Map<String, Set<String>> workedBy = new HashMap<>();
                record(workedBy, "a", modelsA);
                record(workedBy, "b", modelsB);
                assertThat(workedBy).hasSize(50);
                assertThat(workedBy.values()).allMatch(instances -> instances.size() == 1);
                var counts = workedBy.values().stream().collect(Collectors.groupingBy(s -> s.iterator().next(),
                        Collectors.counting()));
                assertThat(counts).containsKeys("a", "b");
            }
        }
    }

    @Test
    void aTaskWaitsWhileTheModelIsDownAndGoesOnWhenItComesBack() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (var models = new Models("coder-a")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(1, Duration.ofSeconds(10)));
            properties.put("grandpa.model.base-url", "http://127.0.0.1:" + port + "/v1");
            try (var grandpa = Grandpa.start(properties)) {
                UUID id = grandpa.submit("Wait for the model");
                JsonNode waiting = grandpa.awaitStatus(id, Duration.ofSeconds(20), "WAITING");
                assertThat(waiting.path("statusReason").asString()).contains("waiting for the grandpa model", "unreachable");

                try (var model = StandInLlamaServer.start("late-grandpa", port, new dev.familiar.grandpa.testkit.scripted.StandInGrandpa())) {
                    grandpa.awaitStatus(id, Duration.ofSeconds(30), "DONE");
                    assertThat(model.calls()).isGreaterThanOrEqualTo(5);
                }
            }
        }
    }

    /**
     * Which instance worked each task, told by its own grandpa model server (coder backends are shared
     * through the database, the grandpa model is each instance's own).
     */
    private static void record(Map<String, Set<String>> workedBy, String instance, Models models) {
        for (StandInLlamaServer server : List.of(models.grandpa)) {
            for (ChatCall call : server.received()) {
                var m = java.util.regex.Pattern.compile("Shared task number (\\d+)\\.").matcher(call.last("user"));
                if (m.find()) {
                    workedBy.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(instance);
                }
            }
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> events(JsonNode task) {
        return list(task.path("events")).stream().map(e -> e.path("type").asString()).toList();
    }
}
