package dev.familiar.grandpa.store.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class TaskRepositoryIT {
    static HikariDataSource dataSource;
    static TaskRepository tasks;
    static EventLog events;

    @BeforeAll
    static void migrate() {
        dataSource = TestPostgres.migratedDataSource();
        var jdbc = JdbcClient.create(dataSource);
        tasks = new TaskRepository(jdbc);
        events = new EventLog(jdbc);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    static NewTask task(String goal, String key) {
        return new NewTask("t", goal, "gitea/repo", List.of("a", "b"), 3, "mvn -q test", key, "hash-" + goal);
    }

    @Test
    void storesAndReadsBackEveryField() {
        var stored = tasks.insert(task("write a parser", null));
        assertThat(stored.created()).isTrue();
        var read = tasks.find(stored.task().id()).orElseThrow();
        assertThat(read.goal()).isEqualTo("write a parser");
        assertThat(read.labels()).containsExactly("a", "b");
        assertThat(read.priority()).isEqualTo(3);
        assertThat(read.acceptanceCommand()).isEqualTo("mvn -q test");
        assertThat(read.status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void theSameIdempotencyKeyNeverMakesASecondTask() {
        var first = tasks.insert(task("one", "key-1"));
        var second = tasks.insert(task("two", "key-1"));
        assertThat(second.created()).isFalse();
        assertThat(second.task().id()).isEqualTo(first.task().id());
        assertThat(second.task().goal()).isEqualTo("one");
    }

    @Test
    void transitionsOnlyFromTheGivenStatuses() {
        var id = tasks.insert(task("cancel me", null)).task().id();
        assertThat(tasks.transition(id, Set.of(TaskStatus.QUEUED), TaskStatus.CANCELLED, "asked")).isTrue();
        assertThat(tasks.transition(id, TaskStatus.WORKABLE, TaskStatus.RUNNING, null)).isFalse();
        assertThat(tasks.find(id).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(tasks.find(id).orElseThrow().statusReason()).isEqualTo("asked");
    }

    @Test
    void listsByStatusNewestFirst() {
        var a = tasks.insert(task("list a", null)).task().id();
        var b = tasks.insert(task("list b", null)).task().id();
        tasks.transition(b, Set.of(TaskStatus.QUEUED), TaskStatus.BLOCKED, "stuck");
        assertThat(tasks.list(Set.of(TaskStatus.BLOCKED), 10, 0)).extracting(Task::id).contains(b).doesNotContain(a);
        assertThat(tasks.count(Set.of())).isGreaterThanOrEqualTo(2);
    }

    @Test
    void eventsReadBackInOrderAfterAnId() {
        var id = tasks.insert(task("events", null)).task().id();
        long first = events.append(id, "submitted", "{\"goal\":\"events\"}");
        events.append(id, "status", "{\"to\":\"PLANNING\"}");
        var after = events.after(id, first, 10);
        assertThat(after).hasSize(1);
        assertThat(after.getFirst().type()).isEqualTo("status");
        assertThat(after.getFirst().data()).containsEntry("to", "PLANNING");
    }
}
