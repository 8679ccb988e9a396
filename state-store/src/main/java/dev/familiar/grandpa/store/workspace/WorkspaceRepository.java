package dev.familiar.grandpa.store.workspace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tasks' branches: opened once, moved on by each accepted change, pushed at the end. */
public class WorkspaceRepository {
    private final JdbcClient jdbc;

    public WorkspaceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the branch unless the task has one already (then the stored one stands); returns the stored one. */
    public TaskWorkspace open(UUID taskId, String repository, String branch, String baseCommit) {
        jdbc.sql("""
                        insert into task_workspaces (task_id, repository, branch, base_commit, head_commit)
                        values (:task, :repo, :branch, :base, :base)
                        on conflict (task_id) do nothing""")
                .param("task", taskId)
                .param("repo", repository)
                .param("branch", branch)
                .param("base", baseCommit)
                .update();
        return find(taskId).orElseThrow();
    }

    public Optional<TaskWorkspace> find(UUID taskId) {
        return jdbc.sql("select * from task_workspaces where task_id = :task")
                .param("task", taskId)
                .query(WorkspaceRepository::map)
                .optional();
    }

    public void moveHead(UUID taskId, String head) {
        jdbc.sql("update task_workspaces set head_commit = :head, updated_at = now() where task_id = :task")
                .param("task", taskId)
                .param("head", head)
                .update();
    }

    public void pushed(UUID taskId, String pullRequestUrl) {
        jdbc.sql("""
                        update task_workspaces set pushed_at = now(),
                               pull_request_url = coalesce(:url, pull_request_url), updated_at = now()
                        where task_id = :task""")
                .param("task", taskId)
                .param("url", pullRequestUrl)
                .update();
    }

    private static TaskWorkspace map(ResultSet rs, int row) throws SQLException {
        var pushed = rs.getTimestamp("pushed_at");
        return new TaskWorkspace(rs.getObject("task_id", UUID.class), rs.getString("repository"), rs.getString("branch"),
                rs.getString("base_commit"), rs.getString("head_commit"), pushed == null ? null : pushed.toInstant(),
                rs.getString("pull_request_url"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
