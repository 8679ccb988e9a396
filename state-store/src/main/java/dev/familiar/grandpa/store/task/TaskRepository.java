package dev.familiar.grandpa.store.task;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

public class TaskRepository {
    private static final String COLUMNS = """
            id, title, goal, repo, labels, priority, acceptance_command, idempotency_key, request_hash,
            status, status_reason, plan_version, result, created_at, updated_at""";

    private final JdbcClient jdbc;

    public TaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a new QUEUED task. With an idempotency key that is already taken, nothing is written
     * and the task stored under that key is returned.
     */
    public Submission insert(NewTask task) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        insert into tasks (id, title, goal, repo, labels, priority, acceptance_command,
                                           idempotency_key, request_hash, status)
                        values (:id, :title, :goal, :repo, cast(:labels as jsonb), :priority, :acceptance,
                                :key, :hash, 'QUEUED')
                        on conflict (idempotency_key) do nothing""")
                .param("id", id)
                .param("title", task.title())
                .param("goal", task.goal())
                .param("repo", task.repo())
                .param("labels", JsonColumns.write(task.labels()))
                .param("priority", task.priority())
                .param("acceptance", task.acceptanceCommand())
                .param("key", task.idempotencyKey())
                .param("hash", task.requestHash())
                .update();
        if (inserted == 1) {
            return new Submission(find(id).orElseThrow(), true);
        }
        return new Submission(findByIdempotencyKey(task.idempotencyKey()).orElseThrow(), false);
    }

    public Optional<Task> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from tasks where id = :id")
                .param("id", id)
                .query(TaskRepository::map)
                .optional();
    }

    /** Locks the task's row for the rest of the transaction, so status changes are serialised. */
    public Optional<Task> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from tasks where id = :id for update")
                .param("id", id)
                .query(TaskRepository::map)
                .optional();
    }

    public Optional<Task> findByIdempotencyKey(String key) {
        return jdbc.sql("select " + COLUMNS + " from tasks where idempotency_key = :key")
                .param("key", key)
                .query(TaskRepository::map)
                .optional();
    }

    /** Newest first; statuses empty means all. */
    public List<Task> list(Collection<TaskStatus> statuses, int limit, long offset) {
        return jdbc.sql("select " + COLUMNS + " from tasks where (:all or status in (:statuses))"
                        + " order by created_at desc, id limit :limit offset :offset")
                .param("all", statuses.isEmpty())
                .param("statuses", names(statuses))
                .param("limit", limit)
                .param("offset", offset)
                .query(TaskRepository::map)
                .list();
    }

    /** The tasks whose id starts with these hex digits (an id as the dashboard shows it, eight characters), newest first. */
    public List<Task> withIdPrefix(String prefix, int limit) {
        if (!prefix.matches("[0-9a-fA-F-]{1,36}")) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from tasks where id::text like :prefix order by created_at desc, id limit :limit")
                .param("prefix", prefix.toLowerCase(java.util.Locale.ROOT) + "%")
                .param("limit", limit)
                .query(TaskRepository::map)
                .list();
    }

    public long count(Collection<TaskStatus> statuses) {
        return jdbc.sql("select count(*) from tasks where (:all or status in (:statuses))")
                .param("all", statuses.isEmpty())
                .param("statuses", names(statuses))
                .query(Long.class)
                .single();
    }

    /** How many tasks are in each status now (statuses with none are left out). */
    public java.util.Map<TaskStatus, Long> countByStatus() {
        var counts = new java.util.EnumMap<TaskStatus, Long>(TaskStatus.class);
        jdbc.sql("select status, count(*) from tasks group by status")
                .query((rs, n) -> counts.put(TaskStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .list();
        return counts;
    }

    /** Moves the task to a status only if it is in one of {@code from}; false when it was not. */
    public boolean transition(UUID id, Collection<TaskStatus> from, TaskStatus to, String reason) {
        return jdbc.sql("""
                        update tasks set status = :to, status_reason = :reason, updated_at = now()
                        where id = :id and status in (:from)""")
                .param("id", id)
                .param("to", to.name())
                .param("reason", StoredText.clean(reason))
                .param("from", names(from))
                .update() == 1;
    }

    public void setPlanVersion(UUID id, int version) {
        jdbc.sql("update tasks set plan_version = :v, updated_at = now() where id = :id")
                .param("id", id)
                .param("v", version)
                .update();
    }

    public void setResult(UUID id, String result) {
        jdbc.sql("update tasks set result = :r, updated_at = now() where id = :id")
                .param("id", id)
                .param("r", StoredText.clean(result))
                .update();
    }

    private static List<String> names(Collection<TaskStatus> statuses) {
        // "in ()" is not SQL; an impossible name keeps the statement valid when the list is empty.
        return statuses.isEmpty() ? List.of("") : statuses.stream().map(Enum::name).toList();
    }

    private static Task map(ResultSet rs, int row) throws SQLException {
        return new Task(
                rs.getObject("id", UUID.class),
                rs.getString("title"),
                rs.getString("goal"),
                rs.getString("repo"),
                JsonColumns.strings(rs.getString("labels")),
                rs.getInt("priority"),
                rs.getString("acceptance_command"),
                rs.getString("idempotency_key"),
                rs.getString("request_hash"),
                TaskStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"),
                rs.getInt("plan_version"),
                rs.getString("result"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
