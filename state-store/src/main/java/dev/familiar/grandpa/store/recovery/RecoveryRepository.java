package dev.familiar.grandpa.store.recovery;

import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

public class RecoveryRepository {
    private final JdbcClient jdbc;

    public RecoveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public RecoveryAction record(UUID taskId, UUID subtaskId, Rung rung, String reason) {
        return jdbc.sql("""
                        insert into recovery_actions (task_id, subtask_id, rung, reason)
                        values (:task, :subtask, :rung, :reason) returning *""")
                .param("task", taskId)
                .param("subtask", subtaskId)
                .param("rung", rung.name())
                .param("reason", StoredText.clean(reason))
                .query(RecoveryRepository::map)
                .single();
    }

    public List<RecoveryAction> ofTask(UUID taskId) {
        return jdbc.sql("select * from recovery_actions where task_id = :task order by id")
                .param("task", taskId)
                .query(RecoveryRepository::map)
                .list();
    }

    private static RecoveryAction map(ResultSet rs, int row) throws SQLException {
        return new RecoveryAction(
                rs.getLong("id"),
                rs.getObject("task_id", UUID.class),
                rs.getObject("subtask_id", UUID.class),
                Rung.valueOf(rs.getString("rung")),
                rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant());
    }
}
