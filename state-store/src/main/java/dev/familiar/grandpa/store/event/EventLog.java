package dev.familiar.grandpa.store.event;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Append-only log of what happened to each task; written in the transaction of the change it records. */
public class EventLog {
    private final JdbcClient jdbc;

    public EventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param data the event's fields as a JSON object */
    public long append(UUID taskId, String type, String data) {
        return jdbc.sql("insert into task_events (task_id, type, data) values (:task, :type, cast(:data as jsonb)) returning id")
                .param("task", taskId)
                .param("type", type)
                .param("data", data)
                .query(Long.class)
                .single();
    }

    public List<TaskEvent> after(UUID taskId, long afterId, int limit) {
        return jdbc.sql("""
                        select id, task_id, type, data, created_at from task_events
                        where task_id = :task and id > :after order by id limit :limit""")
                .param("task", taskId)
                .param("after", afterId)
                .param("limit", limit)
                .query(EventLog::event)
                .list();
    }

    /** A task's events of one type, in order. */
    public List<TaskEvent> ofType(UUID taskId, String type) {
        return jdbc.sql("select id, task_id, type, data, created_at from task_events where task_id = :task and type = :type order by id")
                .param("task", taskId)
                .param("type", type)
                .query(EventLog::event)
                .list();
    }

    private static TaskEvent event(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new TaskEvent(rs.getLong("id"), rs.getObject("task_id", UUID.class), rs.getString("type"),
                JsonColumns.map(rs.getString("data")), rs.getTimestamp("created_at").toInstant());
    }
}
