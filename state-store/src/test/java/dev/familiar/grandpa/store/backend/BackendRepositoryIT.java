package dev.familiar.grandpa.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.plan.PlanVersion;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class BackendRepositoryIT {
    static HikariDataSource dataSource;
    static JdbcClient jdbc;

    @BeforeAll
    static void migrate() {
        dataSource = TestPostgres.migratedDataSource();
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    static BackendRecord backend(String name, BackendSource source) {
        return new BackendRecord(name, "OPENAI", "http://127.0.0.1:1/v1", "m", "KEY_ENV", List.of(), null,
                List.of("code"), 2, 60_000, null, 1.0, true, false, source, null, null);
    }

    @Test
    void anUpsertKeepsTheFlagsAPersonSet() {
        var repository = new BackendRepository(jdbc);
        repository.upsert(backend("b1", BackendSource.CONFIG));
        repository.setFlags("b1", false, true);
        var again = repository.upsert(new BackendRecord("b1", "OPENAI", "http://127.0.0.1:2/v1", "m2", null, List.of(), null,
                List.of("code", "docs"), 4, 1000, 8192, 2.0, true, false, BackendSource.CONFIG, null, null));
        assertThat(again.enabled()).isFalse();
        assertThat(again.draining()).isTrue();
        assertThat(again.slots()).isEqualTo(4);
        assertThat(again.capabilities()).containsExactly("code", "docs");
        assertThat(repository.find("b1").orElseThrow().apiKeyEnv()).isNull();
    }

    @Test
    void outcomesCountJudgedSuccessesAndFailuresPerBackendAndCapability() {
        var tasks = new TaskRepository(jdbc);
        var plans = new PlanRepository(jdbc);
        var attempts = new AttemptRepository(jdbc);
        UUID task = tasks.insert(new NewTask("t", "g", null, List.of(), 0, null, null, "h")).task().id();
        var code = new Subtask(UUID.randomUUID(), task, 1, "s1", "t", "i", "code", "code", List.of(), List.of(),
                SubtaskStatus.PENDING, null, null, null, null);
        var docs = new Subtask(UUID.randomUUID(), task, 1, "s2", "t", "i", "docs", "docs", List.of(), List.of(),
                SubtaskStatus.PENDING, null, null, null, null);
        plans.insert(new PlanVersion(task, 1, "first", "{}", Instant.now()), List.of(code, docs));
        for (int i = 0; i < 3; i++) { // good: three passes on code
            var a = attempts.start(task, code.id(), "good", "r", null);
            attempts.finish(a.id(), AttemptOutcome.succeeded("out", "stop", 1, 1, 5, 0));
            attempts.addEvaluation(attempts.ofSubtask(code.id()).getLast(), Verdict.PASS, 1.0, "ok", List.of(), JudgedBy.GRANDPA);
        }
        var failed = attempts.start(task, code.id(), "poor", "r", null);
        attempts.finish(failed.id(), AttemptOutcome.failed("SERVER_ERROR", "500", 5));
        var revised = attempts.start(task, code.id(), "poor", "r", null);
        attempts.finish(revised.id(), AttemptOutcome.succeeded("out", "stop", 1, 1, 5, 0));
        attempts.addEvaluation(attempts.ofSubtask(code.id()).getLast(), Verdict.REVISE, 0.4, "meh", List.of(), JudgedBy.GRANDPA);
        var unjudged = attempts.start(task, docs.id(), "poor", "r", null);
        attempts.finish(unjudged.id(), AttemptOutcome.succeeded("out", "stop", 1, 1, 5, 0));

        var outcomes = new BackendRepository(jdbc).outcomes(Duration.ofDays(7));
        assertThat(outcomes).contains(new OutcomeCount("good", "code", 3, 0), new OutcomeCount("poor", "code", 0, 2),
                new OutcomeCount("poor", "docs", 0, 0));
        assertThat(new BackendRepository(jdbc).outcomes(Duration.ZERO)).isEmpty();
    }
}
