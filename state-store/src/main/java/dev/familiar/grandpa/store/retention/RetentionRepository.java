package dev.familiar.grandpa.store.retention;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes what is old enough not to be needed: finished tasks (DONE or CANCELLED) with everything
 * recorded about them, and the pieces of coders' answers relayed as events (each attempt keeps its
 * whole answer). BLOCKED tasks are kept: a person has yet to act on them. Call each inside a
 * transaction; one instance at a time prunes ({@link #takeTurn}).
 */
public class RetentionRepository {
    /** The advisory lock that makes pruning one instance's job at a time. */
    private static final long LOCK = 0x67_72_61_6e_64_70_61L; // "grandpa"

    private final JdbcClient jdbc;

    public RetentionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True when this transaction may prune now; another instance pruning holds the turn until it commits. */
    public boolean takeTurn() {
        return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(:lock)").param("lock", LOCK)
                .query(Boolean.class).single());
    }

    /** Deletes up to {@code limit} finished tasks last changed longer ago than {@code age}; returns how many. */
    public int deleteFinishedTasks(Duration age, int limit) {
        List<UUID> ids = jdbc.sql("""
                        select id from tasks where status in ('DONE', 'CANCELLED')
                          and updated_at < now() - make_interval(secs => :age)
                        order by updated_at limit :limit""")
                .param("age", (double) age.toSeconds())
                .param("limit", limit)
                .query(UUID.class).list();
        if (ids.isEmpty()) {
            return 0;
        }
        var array = ids.toArray(UUID[]::new);
        for (String table : List.of("check_results", "task_workspaces", "evaluations", "attempts", "recovery_actions",
                "task_events", "context_packs", "task_claims", "subtasks", "plans")) {
            jdbc.sql("delete from " + table + " where task_id = any(:ids)").param("ids", array).update();
        }
        return jdbc.sql("delete from tasks where id = any(:ids)").param("ids", array).update();
    }

    /**
     * Deletes relayed pieces of coders' answers, and the progress reports of grandpa's, older than
     * {@code age}; returns how many.
     */
    public int deleteOutputEvents(Duration age, int limit) {
        return jdbc.sql("""
                        delete from task_events where id in (
                            select id from task_events
                            where type in ('attempt.output', 'attempt.output.restart', 'model.progress')
                              and created_at < now() - make_interval(secs => :age)
                            limit :limit)""")
                .param("age", (double) age.toSeconds())
                .param("limit", limit)
                .update();
    }
}
