package dev.familiar.grandpa.store.check;

import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Check results, kept with the task they belong to. */
public class CheckRepository {
    private final JdbcClient jdbc;

    public CheckRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public StoredCheck insert(StoredCheck check) {
        return jdbc.sql("""
                        insert into check_results (task_id, attempt_id, name, command, commit_sha, exit_code, duration_ms,
                                                   timed_out, passed, output_tail)
                        values (:task, :attempt, :name, :command, :commit, :exit, :ms, :timedOut, :passed, :tail)
                        returning *""")
                .param("task", check.taskId())
                .param("attempt", check.attemptId())
                .param("name", check.name())
                .param("command", StoredText.clean(check.command()))
                .param("commit", check.commit())
                .param("exit", check.exitCode())
                .param("ms", check.durationMs())
                .param("timedOut", check.timedOut())
                .param("passed", check.passed())
                .param("tail", StoredText.clean(check.outputTail()))
                .query(CheckRepository::map)
                .single();
    }

    /** Every check of the task, in the order they ran. */
    public List<StoredCheck> ofTask(UUID taskId) {
        return jdbc.sql("select * from check_results where task_id = :task order by id")
                .param("task", taskId)
                .query(CheckRepository::map)
                .list();
    }

    private static StoredCheck map(ResultSet rs, int row) throws SQLException {
        return new StoredCheck(rs.getLong("id"), rs.getObject("task_id", UUID.class), rs.getObject("attempt_id", Long.class),
                rs.getString("name"), rs.getString("command"), rs.getString("commit_sha"),
                rs.getObject("exit_code", Integer.class), rs.getLong("duration_ms"), rs.getBoolean("timed_out"),
                rs.getBoolean("passed"), rs.getString("output_tail"), rs.getTimestamp("created_at").toInstant());
    }
}
