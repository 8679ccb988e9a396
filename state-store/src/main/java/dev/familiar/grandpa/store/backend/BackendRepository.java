package dev.familiar.grandpa.store.backend;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

public class BackendRepository {
    private final JdbcClient jdbc;

    public BackendRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts or replaces a backend's settings; enabled and draining are kept when it exists. */
    public BackendRecord upsert(BackendRecord b) {
        return jdbc.sql("""
                        insert into backends (name, kind, base_url, model, api_key_env, command, working_directory,
                                              capabilities, slots, timeout_ms, context_limit, cost, enabled, draining, source)
                        values (:name, :kind, :url, :model, :env, cast(:command as jsonb), :dir, cast(:caps as jsonb),
                                :slots, :timeout, :context, :cost, :enabled, :draining, :source)
                        on conflict (name) do update set kind = excluded.kind, base_url = excluded.base_url,
                            model = excluded.model, api_key_env = excluded.api_key_env, command = excluded.command,
                            working_directory = excluded.working_directory, capabilities = excluded.capabilities,
                            slots = excluded.slots, timeout_ms = excluded.timeout_ms,
                            context_limit = excluded.context_limit, cost = excluded.cost, source = excluded.source,
                            updated_at = now()
                        returning *""")
                .param("name", b.name())
                .param("kind", b.kind())
                .param("url", b.baseUrl())
                .param("model", b.model())
                .param("env", b.apiKeyEnv())
                .param("command", JsonColumns.write(b.command()))
                .param("dir", b.workingDirectory())
                .param("caps", JsonColumns.write(b.capabilities()))
                .param("slots", b.slots())
                .param("timeout", b.timeoutMs())
                .param("context", b.contextLimit())
                .param("cost", b.cost())
                .param("enabled", b.enabled())
                .param("draining", b.draining())
                .param("source", b.source().name())
                .query(BackendRepository::map)
                .single();
    }

    public List<BackendRecord> all() {
        return jdbc.sql("select * from backends order by name").query(BackendRepository::map).list();
    }

    public Optional<BackendRecord> find(String name) {
        return jdbc.sql("select * from backends where name = :name").param("name", name)
                .query(BackendRepository::map).optional();
    }

    /** The backend whose name equals this one but for the case of its letters. */
    public Optional<BackendRecord> findIgnoringCase(String name) {
        return jdbc.sql("select * from backends where lower(name) = lower(:name)").param("name", name)
                .query(BackendRepository::map).optional();
    }

    public boolean delete(String name) {
        return jdbc.sql("delete from backends where name = :name").param("name", name).update() == 1;
    }

    public Optional<BackendRecord> setFlags(String name, boolean enabled, boolean draining) {
        return jdbc.sql("""
                        update backends set enabled = :enabled, draining = :draining, updated_at = now()
                        where name = :name returning *""")
                .param("name", name)
                .param("enabled", enabled)
                .param("draining", draining)
                .query(BackendRepository::map)
                .optional();
    }

    /**
     * How success is counted, wherever it is (the routing, {@code /api/backends}, the dashboard's history):
     * the two counts, then the attempts with their subtask (for the capability) and their verdict; a
     * query adds its where and group by. Succeeded: an output the judge passed; failed: a failed call,
     * or an output judged revise or fail.
     */
    public static final String OUTCOMES = """
            count(*) filter (where a.status = 'SUCCEEDED' and e.verdict = 'PASS') as succeeded,
            count(*) filter (where a.status = 'FAILED' or e.verdict in ('REVISE', 'FAIL')) as failed
            from attempts a
            join subtasks s on s.id = a.subtask_id
            left join evaluations e on e.attempt_id = a.id
            """;

    /**
     * Outcomes of each backend's attempts per capability over the last {@code window}: a success is
     * an output the judge passed; a failure is a failed call or an output judged revise or fail.
     */
    public List<OutcomeCount> outcomes(Duration window) {
        return jdbc.sql("select a.backend, s.capability, " + OUTCOMES + " where a.finished_at > now() - "
                        + "make_interval(secs => :seconds) and a.status in ('SUCCEEDED', 'FAILED') group by a.backend, s.capability")
                .param("seconds", (double) window.toSeconds())
                .query((rs, n) -> new OutcomeCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    private static BackendRecord map(ResultSet rs, int row) throws SQLException {
        return new BackendRecord(
                rs.getString("name"),
                rs.getString("kind"),
                rs.getString("base_url"),
                rs.getString("model"),
                rs.getString("api_key_env"),
                JsonColumns.strings(rs.getString("command")),
                rs.getString("working_directory"),
                JsonColumns.strings(rs.getString("capabilities")),
                rs.getInt("slots"),
                rs.getLong("timeout_ms"),
                rs.getObject("context_limit", Integer.class),
                rs.getDouble("cost"),
                rs.getBoolean("enabled"),
                rs.getBoolean("draining"),
                BackendSource.valueOf(rs.getString("source")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
