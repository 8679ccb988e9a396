package dev.familiar.grandpa.store.context;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Each task's context pack: written once, before its first plan. */
public class ContextPackRepository {
    private final JdbcClient jdbc;

    public ContextPackRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the pack unless the task has one already (a second gathering after a crash loses the race). */
    public void insert(StoredContextPack pack) {
        jdbc.sql("""
                        insert into context_packs (task_id, query, items, problems, rendered, tokens)
                        values (:task, :query, cast(:items as jsonb), cast(:problems as jsonb), :rendered, :tokens)
                        on conflict (task_id) do nothing""")
                .param("task", pack.taskId())
                .param("query", StoredText.clean(pack.query()))
                .param("items", JsonColumns.write(pack.items()))
                .param("problems", JsonColumns.write(pack.problems()))
                .param("rendered", StoredText.clean(pack.rendered()))
                .param("tokens", pack.tokens())
                .update();
    }

    public Optional<StoredContextPack> find(UUID taskId) {
        return jdbc.sql("select task_id, query, items::text, problems::text, rendered, tokens, created_at from context_packs "
                        + "where task_id = :task")
                .param("task", taskId)
                .query((rs, row) -> new StoredContextPack(rs.getObject(1, UUID.class), rs.getString(2),
                        JsonColumns.list(rs.getString(3), StoredContextPack.Item.class), JsonColumns.strings(rs.getString(4)),
                        rs.getString(5), rs.getInt(6), rs.getTimestamp(7).toInstant()))
                .optional();
    }
}
