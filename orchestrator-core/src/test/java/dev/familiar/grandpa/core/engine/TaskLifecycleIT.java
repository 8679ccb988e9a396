package dev.familiar.grandpa.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.testkit.scripted.StandInCoder;
import dev.familiar.grandpa.testkit.scripted.StandInGrandpa;
import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A task's whole life through the real service, its database, and stand-in models over HTTP. */
class TaskLifecycleIT {
    static final Duration LIMIT = Duration.ofSeconds(30);
    static final Pattern JUDGED_SUBTASK = Pattern.compile("Subtask (\\S+): ");

    static Models models;
    static Grandpa grandpa;

    @BeforeAll
    static void start() {
        models = new Models("coder-a", "coder-b");
        grandpa = Grandpa.forCases(models);
    }

    @AfterAll
    static void stop() {
        grandpa.close();
        models.close();
    }

    @BeforeEach
    void scriptedModelsBehave() {
        models.scriptedAgain();
        grandpa.resetBackends(); // a circuit opened by one case would change the next
    }

    @Test
    void aTaskIsPlannedDelegatedJudgedAndIntegrated() {
        models.coders.forEach((name, server) -> server.respondWith(
                call -> Reply.text(StandInCoder.deliverable(name, call)).after(Duration.ofMillis(400))));

        UUID id = grandpa.submit("Add a /healthz endpoint to the billing service");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        assertThat(task.path("plans")).hasSize(1);
        assertThat(task.path("subtasks")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(task.path("result").asString()).contains("Implement the change", "Write the tests");
        List<JsonNode> attempts = list(task.path("attempts"));
        assertThat(attempts).hasSize(3).allMatch(a -> a.path("status").asString().equals("SUCCEEDED"));
        assertThat(list(task.path("evaluations"))).hasSize(3)
                .allMatch(e -> e.path("verdict").asString().equals("PASS") && e.path("judgedBy").asString().equals("grandpa"));

        JsonNode impl = attemptOf(task, "impl").getFirst();
        JsonNode tests = attemptOf(task, "tests").getFirst();
        assertThat(impl.path("backend").asString()).isNotEqualTo(tests.path("backend").asString());
        assertThat(start(impl)).isBefore(end(tests));
        assertThat(start(tests)).isBefore(end(impl));
        assertThat(impl.path("routingReason").asString()).contains("capability code");
        assertThat(impl.path("durationMs").asLong()).isGreaterThanOrEqualTo(400);

        List<String> types = list(task.path("events")).stream().map(e -> e.path("type").asString()).toList();
        assertThat(types).startsWith("submitted").contains("planned", "attempt.started", "attempt.finished",
                "evaluated", "subtask.accepted").endsWith("status");
        assertThat(list(task.path("events")).getLast().path("data").path("status").asString()).isEqualTo("DONE");
    }

    @Test
    void aCodersAnswerIsInTheEventStreamWhileItIsProduced() {
        models.coders.values().forEach(server -> server.setStreamInterval(Duration.ofMillis(150))); // about a second per answer
        try {
            UUID id = grandpa.submit("Stream the coder's work");
            JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

            List<JsonNode> events = list(task.path("events"));
            for (JsonNode attempt : list(task.path("attempts"))) {
                int number = attempt.path("number").asInt();
                String key = list(task.path("subtasks")).stream()
                        .filter(s -> s.path("id").asString().equals(attempt.path("subtaskId").asString()))
                        .findFirst().orElseThrow().path("key").asString();
                var pieces = events.stream().filter(e -> e.path("type").asString().equals("attempt.output")
                        && e.path("data").path("subtask").asString().equals(key)
                        && e.path("data").path("attempt").asInt() == number).toList();
                assertThat(pieces).as(key).hasSizeGreaterThan(1);
                assertThat(pieces.stream().map(e -> e.path("data").path("text").asString()).reduce("", String::concat))
                        .isEqualTo(attempt.path("output").asString());
                long finished = events.stream().filter(e -> e.path("type").asString().equals("attempt.finished")
                        && e.path("data").path("subtask").asString().equals(key)).findFirst().orElseThrow().path("id").asLong();
                assertThat(pieces.getFirst().path("id").asLong()).isLessThan(finished);
            }
        } finally {
            models.scriptedAgain();
        }
    }

    @Test
    void aReviseVerdictIsRetriedWithTheFeedbackOnTheSameBackend() {
        var revised = new AtomicBoolean();
        models.grandpa.respondWith(call -> {
            if ("verdict".equals(call.schemaName()) && judged(call.last("user")).equals("impl") && !revised.getAndSet(true)) {
                return Reply.text(StandInGrandpa.verdict("revise", 0.5, "Handle the empty input case."));
            }
            return new StandInGrandpa().answer(call);
        });

        UUID id = grandpa.submit("Parse the config file");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        List<JsonNode> impl = attemptOf(task, "impl");
        assertThat(impl).hasSize(2);
        assertThat(impl.get(1).path("backend").asString()).isEqualTo(impl.get(0).path("backend").asString());
        assertThat(impl.get(1).path("feedback").asString()).isEqualTo("Handle the empty input case.");
        assertThat(rungs(task)).containsExactly("RETRY_WITH_FEEDBACK");
        String backend = impl.get(1).path("backend").asString();
        assertThat(models.coder(backend).received()).anyMatch(c -> c.last("user").contains("Handle the empty input case."));
    }

    @Test
    void aBackendAnswering500IsReplacedByAnotherWithoutSpendingARung() {
        models.coder("coder-a").respondWith(call -> Reply.error(500, "CUDA error: out of memory"));

        UUID id = grandpa.submit("Rename the user table");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        var failed = list(task.path("attempts")).stream().filter(a -> a.path("status").asString().equals("FAILED")).toList();
        assertThat(failed).isNotEmpty().allMatch(a -> a.path("backend").asString().equals("coder-a")
                && a.path("errorKind").asString().equals("SERVER_ERROR"));
        assertThat(list(task.path("subtasks"))).allMatch(s -> s.path("status").asString().equals("ACCEPTED"));
        assertThat(list(task.path("attempts"))).filteredOn(a -> a.path("status").asString().equals("SUCCEEDED"))
                .allMatch(a -> a.path("backend").asString().equals("coder-b"));
        assertThat(rungs(task)).as("a backend's trouble is not the work's").isEmpty();
    }

    @Test
    void aBackendThatTimesOutIsReplacedByAnotherWithoutSpendingARung() {
        models.coder("coder-a").respondWith(call -> Reply.text("too late").after(Duration.ofSeconds(4)));

        UUID id = grandpa.submit("Add an index on orders.created_at");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        assertThat(list(task.path("attempts"))).filteredOn(a -> a.path("backend").asString().equals("coder-a"))
                .isNotEmpty().allMatch(a -> a.path("errorKind").asString().equals("TIMEOUT"));
        assertThat(rungs(task)).doesNotContain("REPLAN");
    }

    @Test
    void aBackendThatHangsUpIsReplacedByAnother() {
        models.coder("coder-b").respondWith(call -> Reply.hangUp());

        UUID id = grandpa.submit("Bump the Jackson version");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        assertThat(list(task.path("attempts"))).filteredOn(a -> a.path("backend").asString().equals("coder-b"))
                .isNotEmpty().allMatch(a -> a.path("status").asString().equals("FAILED"));
    }

    @Test
    void aSubtaskNoBackendCanDoLeadsToANewPlan() {
        // The judge rejects the first plan's "tests" subtask whoever writes it; the re-plan's passes.
        models.grandpa.respondWith(call -> {
            if ("verdict".equals(call.schemaName()) && judged(call.last("user")).equals("tests")) {
                return Reply.text(StandInGrandpa.verdict("fail", 0.1, "These tests test nothing."));
            }
            return new StandInGrandpa().answer(call);
        });

        UUID id = grandpa.submit("Write a CSV exporter");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        assertThat(task.path("plans")).hasSize(2);
        assertThat(task.path("planVersion").asInt()).isEqualTo(2);
        assertThat(rungs(task)).containsExactly("OTHER_BACKEND", "REPLAN");
        assertThat(attemptOf(task, "tests")).hasSize(2)
                .extracting(a -> a.path("backend").asString()).containsExactlyInAnyOrder("coder-a", "coder-b");
        Map<String, String> status = new HashMap<>();
        list(task.path("subtasks")).forEach(s -> status.put(s.path("key").asString(), s.path("status").asString()));
        assertThat(status).containsEntry("impl", "ACCEPTED").containsEntry("tests", "SUPERSEDED")
                .containsEntry("v2-tests", "ACCEPTED");
        String replanPrompt = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName()))
                .map(c -> c.last("user")).filter(u -> u.contains("Plan version: 2") && u.contains("CSV")).findFirst().orElseThrow();
        assertThat(replanPrompt).contains("These tests test nothing.", "- impl: Implement the change");
    }

    @Test
    void exhaustedRecoveryBlocksTheTaskAndResumeContinuesIt() {
        var strict = new AtomicBoolean(true);
        models.grandpa.respondWith(call -> {
            if (strict.get() && "verdict".equals(call.schemaName()) && judged(call.last("user")).endsWith("tests")) {
                return Reply.text(StandInGrandpa.verdict("fail", 0.0, "Still no assertions."));
            }
            return new StandInGrandpa().answer(call);
        });

        UUID id = grandpa.submit("Migrate the scheduler to virtual threads");
        JsonNode blocked = grandpa.awaitStatus(id, LIMIT, "BLOCKED");
        assertThat(blocked.path("statusReason").asString()).contains("recovery exhausted", "Still no assertions");
        assertThat(rungs(blocked)).endsWith("REPLAN", "OTHER_BACKEND", "BLOCK");

        strict.set(false);
        var resumed = grandpa.post("/api/tasks/" + id + "/resume", "{\"note\":\"the judge was too strict\"}");
        assertThat(resumed.status()).isEqualTo(202);
        JsonNode done = grandpa.awaitStatus(id, LIMIT, "DONE");
        assertThat(rungs(done)).contains("RESUME");
        assertThat(done.path("result").asString()).isNotBlank();
    }

    @Test
    void aMalformedPlanIsAskedForAgainWithTheProblem() {
        var plans = new AtomicInteger();
        models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("YAML")
                && plans.getAndIncrement() == 0
                ? Reply.text("{\"summary\":\"x\",\"subtasks\":[{\"id\":\"a\",\"title\":\"t\",\"instructions\":\"i\","
                        + "\"kind\":\"code\",\"capability\":\"code\",\"depends_on\":[\"a\"],\"acceptance_criteria\":[]}]}")
                : new StandInGrandpa().answer(call));

        UUID id = grandpa.submit("Load settings from YAML");
        grandpa.awaitStatus(id, LIMIT, "DONE");

        var second = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName())
                && c.last("user").contains("YAML")).toList();
        assertThat(second).hasSize(2);
        assertThat(second.get(1).last("user")).contains("previous answer was rejected", "depends on itself");
    }

    @Test
    void aPlanThatStaysMalformedBlocksTheTaskWithTheReason() {
        models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) ? Reply.text("I think we should") :
                new StandInGrandpa().answer(call));

        UUID id = grandpa.submit("Something grandpa cannot plan");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "BLOCKED");

        assertThat(task.path("statusReason").asString()).contains("no valid plan", "not JSON");
        assertThat(task.path("plans")).isEmpty();
    }

    @Test
    void aPlanCutOffAtItsTokenLimitIsAskedForOnceMoreBrieflyAndTheTaskGoesOn() {
        var rambled = new AtomicBoolean();
        models.grandpa.respondWith(call -> "plan".equals(call.schemaName()) && call.last("user").contains("ramble")
                && !rambled.getAndSet(true)
                ? Reply.text("{\"summary\":\"" + "and then ".repeat(2000)) // the stand-in stops it at max_tokens
                : new StandInGrandpa().answer(call));

        UUID id = grandpa.submit("Plan this without a ramble");
        grandpa.awaitStatus(id, LIMIT, "DONE");

        var plans = models.grandpa.received().stream().filter(c -> "plan".equals(c.schemaName())
                && c.last("user").contains("ramble")).toList();
        assertThat(plans).hasSize(2);
        assertThat(plans.getFirst().request().path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(plans.get(1).last("user")).contains("cut off at its limit of 4096 tokens", "more briefly");
    }

    @Test
    void anAnswerWithCharactersPostgresRefusesIsStoredWithoutThem() {
        models.coders.forEach((name, server) -> server.respondWith(call -> Reply.text("before\u0000after")));

        UUID id = grandpa.submit("Survive a NUL");
        JsonNode task = grandpa.awaitStatus(id, LIMIT, "DONE");

        assertThat(list(task.path("attempts"))).allSatisfy(a ->
                assertThat(a.path("output").asString()).isEqualTo("beforeafter"));
    }

    static String judged(String prompt) {
        Matcher m = JUDGED_SUBTASK.matcher(prompt);
        return m.find() ? m.group(1) : "";
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static List<String> rungs(JsonNode task) {
        return list(task.path("recoveries")).stream().map(r -> r.path("rung").asString()).toList();
    }

    /** The attempts of the subtask with this key, oldest first. */
    static List<JsonNode> attemptOf(JsonNode task, String key) {
        String subtaskId = list(task.path("subtasks")).stream().filter(s -> s.path("key").asString().equals(key))
                .findFirst().orElseThrow().path("id").asString();
        var result = new ArrayList<JsonNode>();
        list(task.path("attempts")).stream().filter(a -> a.path("subtaskId").asString().equals(subtaskId)).forEach(result::add);
        return result;
    }

    static Instant start(JsonNode attempt) {
        return Instant.parse(attempt.path("startedAt").asString());
    }

    static Instant end(JsonNode attempt) {
        return Instant.parse(attempt.path("finishedAt").asString());
    }
}
