package dev.familiar.grandpa.store.context;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Context packs: a task's, written once before its first plan, and each subtask's, before its first attempt. */
public class ContextPackRepository {
    private static final String COLUMNS = "task_id, subtask_id, query, items::text, cuts::text, problems::text, counted_by, "
            + "budget, rendered, tokens, created_at";

    private final JdbcClient jdbc;

    public ContextPackRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the pack unless there is one already (a second gathering after a crash loses the race). */
    public void insert(StoredContextPack pack) {
        jdbc.sql("""
                        insert into context_packs (task_id, subtask_id, query, items, cuts, problems, counted_by, budget,
                                                   rendered, tokens)
                        values (:task, :subtask, :query, cast(:items as jsonb), cast(:cuts as jsonb), cast(:problems as jsonb),
                                :countedBy, :budget, :rendered, :tokens)
                        on conflict do nothing""")
                .param("task", pack.taskId())
                .param("subtask", pack.subtaskId())
                .param("query", StoredText.clean(pack.query()))
                .param("items", JsonColumns.write(pack.items()))
                .param("cuts", JsonColumns.write(pack.cuts()))
                .param("problems", JsonColumns.write(pack.problems()))
                .param("countedBy", pack.countedBy())
                .param("budget", pack.budget())
                .param("rendered", StoredText.clean(pack.rendered()))
                .param("tokens", pack.tokens())
                .update();
    }

    /** The task's own pack (the plan's). */
    public Optional<StoredContextPack> find(UUID taskId) {
        return jdbc.sql("select " + COLUMNS + " from context_packs where task_id = :task and subtask_id is null")
                .param("task", taskId).query(ContextPackRepository::read).optional();
    }

    public Optional<StoredContextPack> findForSubtask(UUID subtaskId) {
        return jdbc.sql("select " + COLUMNS + " from context_packs where subtask_id = :subtask")
                .param("subtask", subtaskId).query(ContextPackRepository::read).optional();
    }

    /** The packs of a task's subtasks, oldest first. */
    public List<StoredContextPack> subtaskPacks(UUID taskId) {
        return jdbc.sql("select " + COLUMNS + " from context_packs where task_id = :task and subtask_id is not null order by id")
                .param("task", taskId).query(ContextPackRepository::read).list();
    }

    private static StoredContextPack read(ResultSet rs, int row) throws SQLException {
        return new StoredContextPack(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                JsonColumns.list(rs.getString(4), StoredContextPack.Item.class),
                JsonColumns.list(rs.getString(5), StoredContextPack.Cut.class), JsonColumns.strings(rs.getString(6)),
                rs.getString(7), rs.getInt(8), rs.getString(9), rs.getInt(10), rs.getTimestamp(11).toInstant());
    }
}
