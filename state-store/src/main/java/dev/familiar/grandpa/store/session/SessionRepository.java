package dev.familiar.grandpa.store.session;

import dev.familiar.grandpa.store.jdbc.StoredText;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The turns of grandpa's model sessions, one session per key (the server and slot it is pinned to). */
public class SessionRepository {
    private final JdbcClient jdbc;

    public SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<SessionTurn> turns(String sessionKey) {
        return jdbc.sql("select position, request, answer, tool_uses::text, calls_written from model_session_turns "
                        + "where session_key = :key order by position")
                .param("key", sessionKey)
                .query((rs, row) -> new SessionTurn(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)))
                .list();
    }

    public void append(String sessionKey, SessionTurn turn) {
        jdbc.sql("insert into model_session_turns (session_key, position, request, answer, tool_uses, calls_written) "
                        + "values (:key, :position, :request, :answer, cast(:uses as jsonb), :written)")
                .param("key", sessionKey)
                .param("position", turn.position())
                .param("request", StoredText.clean(turn.request()))
                .param("answer", StoredText.clean(turn.answer()))
                .param("uses", StoredText.clean(turn.toolUses()))
                .param("written", turn.callsWritten())
                .update();
    }

    /** The session starts over. */
    public void clear(String sessionKey) {
        jdbc.sql("delete from model_session_turns where session_key = :key").param("key", sessionKey).update();
    }
}
