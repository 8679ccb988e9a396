package dev.familiar.grandpa.store.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.familiar.grandpa.store.task.NewTask;
import dev.familiar.grandpa.store.task.TaskRepository;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Claims on a real PostgreSQL: one worker at a time, due times, expiry and hand-back. */
class ClaimRepositoryIT {
    HikariDataSource dataSource;
    ClaimRepository claims;
    TaskRepository tasks;
    JdbcClient jdbc;

    @BeforeEach
    void migrate() {
        dataSource = TestPostgres.migratedDataSource();
        jdbc = JdbcClient.create(dataSource);
        claims = new ClaimRepository(jdbc);
        tasks = new TaskRepository(jdbc);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    UUID task(int priority) {
        UUID id = tasks.insert(new NewTask("t", "g", null, List.of(), priority, null, null, "h")).task().id();
        claims.offer(id);
        return id;
    }

    @Test
    void aDueTaskIsClaimedByOneWorkerOnlyAndHighestPriorityFirst() {
        UUID low = task(0);
        UUID high = task(9);
        assertThat(claims.claim("a", Duration.ofSeconds(30), 1)).containsExactly(high);
        assertThat(claims.claim("b", Duration.ofSeconds(30), 10)).containsExactly(low);
        assertThat(claims.claim("a", Duration.ofSeconds(30), 10)).isEmpty(); // nothing due: both wait for their workers
        assertThat(claims.holds(high, "a")).isTrue();
        assertThat(claims.holds(high, "b")).isFalse();
    }

    @Test
    void aWokenTaskGoesBackToTheWorkerThatHoldsIt() {
        UUID id = task(0);
        claims.claim("a", Duration.ofSeconds(30), 10);
        claims.wake(id);
        assertThat(claims.claim("b", Duration.ofSeconds(30), 10)).isEmpty();
        assertThat(claims.claim("a", Duration.ofSeconds(30), 10)).containsExactly(id);
    }

    @Test
    void aTimerMakesTheTaskDueLater() {
        UUID id = task(0);
        claims.claim("a", Duration.ofSeconds(30), 10);
        claims.dueAt(id, "a", Instant.now().plusSeconds(60));
        assertThat(claims.claim("a", Duration.ofSeconds(30), 10)).isEmpty();
        claims.dueAt(id, "a", Instant.now().minusSeconds(1));
        assertThat(claims.claim("a", Duration.ofSeconds(30), 10)).containsExactly(id);
    }

    @Test
    void anExpiredClaimIsTakenOverAndItsOldWorkerNoLongerRenewsIt() {
        UUID id = task(0);
        claims.claim("dead", Duration.ofMillis(1), 10);
        jdbc.sql("select pg_sleep(0.01)").query(Object.class).list();
        assertThat(claims.claim("alive", Duration.ofSeconds(30), 10)).containsExactly(id);
        assertThat(claims.renew("dead", Duration.ofSeconds(30))).isEmpty();
        assertThat(claims.renew("alive", Duration.ofSeconds(30))).containsExactly(id);
    }

    @Test
    void aStoppingWorkerHandsItsClaimsBackDueNow() {
        UUID id = task(0);
        claims.claim("a", Duration.ofSeconds(30), 10);
        assertThat(claims.releaseAll("a")).isEqualTo(1);
        assertThat(claims.claim("b", Duration.ofSeconds(30), 10)).containsExactly(id);
        assertThat(claims.release(id, "a")).isFalse();
        assertThat(claims.release(id, "b")).isTrue();
        assertThat(claims.claim("b", Duration.ofSeconds(30), 10)).isEmpty();
    }

    @Test
    void offeringATaskThatHasAClaimKeepsItsWorker() {
        UUID id = task(0);
        claims.claim("a", Duration.ofSeconds(30), 10);
        claims.offer(id);
        assertThat(claims.holds(id, "a")).isTrue();
        assertThat(claims.claim("a", Duration.ofSeconds(30), 10)).containsExactly(id);
    }
}
