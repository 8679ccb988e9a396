package dev.familiar.grandpa.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.standin.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The first judge through the whole service: a stand-in coder "judge" (a real HTTP server speaking the
 * OpenAI chat API, saying it is a stand-in) judges before grandpa. Its sure verdicts stand and grandpa
 * is not asked; unsure, failing or out-of-schema, grandpa judges; it never judges its own backend's
 * work, and without checks behind an output it is not asked unless told to.
 */
class FirstJudgeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSureVerdictStandsAndGrandpaJudgesWhatTheFirstJudgeIsUnsureOf() {
        try (var models = new Models("coder-a", "judge")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("grandpa.backends[1].capabilities[0]", "review"); // no coding work goes to the judge
            properties.put("grandpa.first-judge.backend", "judge");
            properties.put("grandpa.first-judge.without-checks", "true");
            properties.put("grandpa.first-judge.max-tokens", "300");
            try (var grandpa = Grandpa.start(properties)) {
                models.coder("judge").respondWith(call -> Reply.text(verdict("pass", 0.95)));
                JsonNode sure = grandpa.awaitStatus(grandpa.submit("sure"), WAIT, "DONE");
                assertThat(judges(sure)).isNotEmpty().containsOnly("first_judge");
                assertThat(sure.path("evaluations").get(0).path("checks").toString()).contains("first judge judge: pass");
                assertThat(models.grandpa.received()).noneMatch(c -> "verdict".equals(c.schemaName()));
                assertThat(models.coder("judge").received()).allSatisfy(c -> {
                    assertThat(c.schemaName()).isEqualTo("first_verdict");
                    assertThat(c.request().path("max_tokens").asInt(c.request().path("max_completion_tokens").asInt()))
                            .isEqualTo(300);
                    assertThat(c.last("user")).contains("Output to judge:");
                });
                assertThat(events(sure, "judge.first")).allSatisfy(e -> assertThat(e.path("decided").asBoolean()).isTrue());

                models.coder("judge").respondWith(call -> Reply.text(verdict("pass", 0.4)));
                JsonNode unsure = grandpa.awaitStatus(grandpa.submit("unsure"), WAIT, "DONE");
                assertThat(judges(unsure)).isNotEmpty().containsOnly("grandpa");
                assertThat(events(unsure, "judge.first")).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.path("decided").asBoolean()).isFalse());

                models.coder("judge").respondWith(call -> Reply.text("{\"verdict\": \"splendid\"}"));
                JsonNode garbled = grandpa.awaitStatus(grandpa.submit("garbled"), WAIT, "DONE");
                assertThat(judges(garbled)).containsOnly("grandpa");
                assertThat(events(garbled, "judge.first")).allSatisfy(e ->
                        assertThat(e.path("problem").asString()).contains("not in the verdict schema"));

                models.coder("judge").respondWith(call -> Reply.error(500, "stand-in judge is down"));
                assertThat(judges(grandpa.awaitStatus(grandpa.submit("judge down"), WAIT, "DONE"))).containsOnly("grandpa");
            }
        }
    }

    @Test
    void aSureRevisionSendsTheCoderBackWithTheFirstJudgesFeedback() {
        try (var models = new Models("coder-a", "judge")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("grandpa.backends[1].capabilities[0]", "review");
            properties.put("grandpa.first-judge.backend", "judge");
            properties.put("grandpa.first-judge.without-checks", "true");
            try (var grandpa = Grandpa.start(properties)) {
                var calls = new AtomicInteger();
                models.coder("judge").respondWith(call -> Reply.text(calls.getAndIncrement() == 0
                        ? "{\"verdict\":\"revise\",\"score\":0.3,\"feedback\":\"name the endpoint /healthz\",\"confidence\":0.9}"
                        : verdict("pass", 0.9)));
                JsonNode task = grandpa.awaitStatus(grandpa.submit("revised once"), WAIT, "DONE");
                assertThat(judges(task)).contains("first_judge").doesNotContain("grandpa");
                assertThat(StreamSupport.stream(task.path("attempts").spliterator(), false)
                        .map(a -> a.path("feedback").asString(""))).contains("name the endpoint /healthz");
            }
        }
    }

    @Test
    void withoutChecksBehindAnOutputOrOnItsOwnWorkTheFirstJudgeIsNotAsked() {
        try (var models = new Models("judge")) {
            var properties = Grandpa.defaults(TestPostgres.newDatabase());
            properties.putAll(models.properties(2, Duration.ofSeconds(5)));
            properties.put("grandpa.first-judge.backend", "judge");
            try (var grandpa = Grandpa.start(properties)) {
                assertThat(judges(grandpa.awaitStatus(grandpa.submit("no checks"), WAIT, "DONE"))).containsOnly("grandpa");
            }
            properties.put("grandpa.first-judge.without-checks", "true");
            properties.putAll(Grandpa.defaults(TestPostgres.newDatabase()));
            try (var grandpa = Grandpa.start(properties)) {
                // the only coder is the judge's own backend: it does not judge its own work
                assertThat(judges(grandpa.awaitStatus(grandpa.submit("own work"), WAIT, "DONE"))).containsOnly("grandpa");
            }
            assertThat(models.coder("judge").received()).noneMatch(c -> "first_verdict".equals(c.schemaName()));
        }
    }

    private static String verdict(String verdict, double confidence) {
        return "{\"verdict\":\"" + verdict + "\",\"score\":0.9,\"feedback\":\"fine\",\"confidence\":" + confidence + "}";
    }

    private static List<String> judges(JsonNode task) {
        return StreamSupport.stream(task.path("evaluations").spliterator(), false)
                .map(e -> e.path("judgedBy").asString()).toList();
    }

    private static List<JsonNode> events(JsonNode task, String type) {
        return StreamSupport.stream(task.path("events").spliterator(), false)
                .filter(e -> type.equals(e.path("type").asString())).map(e -> e.path("data")).toList();
    }
}
