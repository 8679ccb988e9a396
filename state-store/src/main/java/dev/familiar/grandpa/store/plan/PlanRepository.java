package dev.familiar.grandpa.store.plan;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

public class PlanRepository {
    private final JdbcClient jdbc;

    public PlanRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a plan version and its subtasks, in plan order; call inside the transaction that moves the task on. */
    public void insert(PlanVersion plan, List<Subtask> subtasks) {
        jdbc.sql("insert into plans (task_id, version, reason, body) values (:task, :v, :reason, cast(:body as jsonb))")
                .param("task", plan.taskId())
                .param("v", plan.version())
                .param("reason", StoredText.clean(plan.reason()))
                .param("body", StoredText.clean(plan.body()))
                .update();
        for (int i = 0; i < subtasks.size(); i++) {
            Subtask s = subtasks.get(i);
            jdbc.sql("""
                            insert into subtasks (id, task_id, plan_version, key, position, title, instructions, kind, capability,
                                                  depends_on, acceptance_criteria, status, output, check_name, needs)
                            values (:id, :task, :v, :key, :position, :title, :instructions, :kind, :capability,
                                    cast(:deps as jsonb), cast(:criteria as jsonb), :status, :output, :check, :needs)""")
                    .param("id", s.id())
                    .param("task", s.taskId())
                    .param("v", s.planVersion())
                    .param("key", s.key())
                    .param("position", i)
                    .param("title", StoredText.clean(s.title()))
                    .param("instructions", StoredText.clean(s.instructions()))
                    .param("kind", s.kind())
                    .param("capability", s.capability())
                    .param("deps", JsonColumns.write(s.dependsOn()))
                    .param("criteria", JsonColumns.write(s.acceptanceCriteria()))
                    .param("status", s.status().name())
                    .param("output", StoredText.clean(s.output()))
                    .param("check", s.checkName())
                    .param("needs", StoredText.clean(s.needs()))
                    .update();
        }
    }

    public List<PlanVersion> plans(UUID taskId) {
        return jdbc.sql("select task_id, version, reason, body, created_at from plans where task_id = :task order by version")
                .param("task", taskId)
                .query((rs, n) -> new PlanVersion(
                        rs.getObject("task_id", UUID.class),
                        rs.getInt("version"),
                        rs.getString("reason"),
                        rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Every subtask of every plan version, oldest plan first. */
    public List<Subtask> subtasks(UUID taskId) {
        return jdbc.sql("select * from subtasks where task_id = :task order by plan_version, position")
                .param("task", taskId)
                .query(PlanRepository::map)
                .list();
    }


    /** @param commit its change's commit on the task branch, or null for a task without a repository */
    public boolean accept(UUID subtaskId, String output, String commit) {
        return jdbc.sql("""
                        update subtasks set status = 'ACCEPTED', output = :output, commit_sha = :commit,
                               committed_at = case when :commit::text is null then null else now() end, updated_at = now()
                        where id = :id and status = 'PENDING'""")
                .param("id", subtaskId)
                .param("output", StoredText.clean(output))
                .param("commit", commit)
                .update() == 1;
    }

    /** Drops the still-pending subtasks of older plan versions when a new version takes over. */
    public int supersedePending(UUID taskId, int belowVersion) {
        return jdbc.sql("""
                        update subtasks set status = 'SUPERSEDED', updated_at = now()
                        where task_id = :task and plan_version < :v and status = 'PENDING'""")
                .param("task", taskId)
                .param("v", belowVersion)
                .update();
    }

    private static Subtask map(ResultSet rs, int row) throws SQLException {
        return new Subtask(
                rs.getObject("id", UUID.class),
                rs.getObject("task_id", UUID.class),
                rs.getInt("plan_version"),
                rs.getString("key"),
                rs.getString("title"),
                rs.getString("instructions"),
                rs.getString("kind"),
                rs.getString("capability"),
                JsonColumns.strings(rs.getString("depends_on")),
                JsonColumns.strings(rs.getString("acceptance_criteria")),
                SubtaskStatus.valueOf(rs.getString("status")),
                rs.getString("output"),
                rs.getString("check_name"),
                rs.getString("commit_sha"),
                rs.getString("needs"));
    }
}
