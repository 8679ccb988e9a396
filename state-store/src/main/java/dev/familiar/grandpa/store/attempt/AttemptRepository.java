package dev.familiar.grandpa.store.attempt;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Attempts and their evaluations. */
public class AttemptRepository {
    private final JdbcClient jdbc;

    public AttemptRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores an attempt as STARTED before the call is made; numbers count per subtask from 1. */
    public Attempt start(UUID taskId, UUID subtaskId, String backend, String routingReason, String feedback) {
        return jdbc.sql("""
                        insert into attempts (task_id, subtask_id, number, backend, routing_reason, feedback, status)
                        values (:task, :subtask,
                                (select coalesce(max(number), 0) + 1 from attempts where subtask_id = :subtask),
                                :backend, :reason, :feedback, 'STARTED')
                        returning *""")
                .param("task", taskId)
                .param("subtask", subtaskId)
                .param("backend", backend)
                .param("reason", StoredText.clean(routingReason))
                .param("feedback", StoredText.clean(feedback))
                .query(AttemptRepository::map)
                .single();
    }

    public void finish(long attemptId, AttemptOutcome outcome) {
        jdbc.sql("""
                        update attempts set status = :status, output = :output, finish_reason = :finish,
                               prompt_tokens = :pt, completion_tokens = :ct, error_kind = :kind, error = :error,
                               finished_at = now(), duration_ms = :ms, transport_retries = :retries,
                               start_commit = :start, patch = :patch
                        where id = :id and status = 'STARTED'""")
                .param("id", attemptId)
                .param("status", outcome.status().name())
                .param("output", StoredText.clean(outcome.output()))
                .param("finish", outcome.finishReason())
                .param("pt", outcome.promptTokens())
                .param("ct", outcome.completionTokens())
                .param("kind", outcome.errorKind())
                .param("error", StoredText.clean(outcome.error()))
                .param("ms", outcome.durationMs())
                .param("retries", outcome.transportRetries())
                .param("start", outcome.startCommit())
                .param("patch", StoredText.clean(outcome.patch()))
                .update();
    }

    /** Marks calls left STARTED by a stopped service as interrupted; returns how many. */
    public int interruptStarted(UUID taskId) {
        return jdbc.sql("""
                        update attempts set status = 'INTERRUPTED', finished_at = now(),
                               error_kind = 'INTERRUPTED', error = 'the service stopped during the call'
                        where task_id = :task and status = 'STARTED'""")
                .param("task", taskId)
                .update();
    }

    public List<Attempt> ofTask(UUID taskId) {
        return jdbc.sql("select * from attempts where task_id = :task order by id")
                .param("task", taskId)
                .query(AttemptRepository::map)
                .list();
    }

    public List<Attempt> ofSubtask(UUID subtaskId) {
        return jdbc.sql("select * from attempts where subtask_id = :s order by number")
                .param("s", subtaskId)
                .query(AttemptRepository::map)
                .list();
    }

    public Evaluation addEvaluation(Attempt attempt, Verdict verdict, Double score, String feedback,
                                    List<String> checks, JudgedBy judgedBy) {
        return jdbc.sql("""
                        insert into evaluations (task_id, subtask_id, attempt_id, verdict, score, feedback, checks, judged_by)
                        values (:task, :subtask, :attempt, :verdict, :score, :feedback, cast(:checks as jsonb), :by)
                        returning *""")
                .param("task", attempt.taskId())
                .param("subtask", attempt.subtaskId())
                .param("attempt", attempt.id())
                .param("verdict", verdict.name())
                .param("score", score)
                .param("feedback", StoredText.clean(feedback))
                .param("checks", JsonColumns.write(checks))
                .param("by", judgedBy.stored())
                .query(AttemptRepository::mapEvaluation)
                .single();
    }

    public List<Evaluation> evaluationsOfTask(UUID taskId) {
        return jdbc.sql("select * from evaluations where task_id = :task order by id")
                .param("task", taskId)
                .query(AttemptRepository::mapEvaluation)
                .list();
    }

    public Optional<Evaluation> evaluationOf(long attemptId) {
        return jdbc.sql("select * from evaluations where attempt_id = :a")
                .param("a", attemptId)
                .query(AttemptRepository::mapEvaluation)
                .optional();
    }

    private static Attempt map(ResultSet rs, int row) throws SQLException {
        var finished = rs.getTimestamp("finished_at");
        return new Attempt(
                rs.getLong("id"),
                rs.getObject("task_id", UUID.class),
                rs.getObject("subtask_id", UUID.class),
                rs.getInt("number"),
                rs.getString("backend"),
                rs.getString("routing_reason"),
                rs.getString("feedback"),
                AttemptStatus.valueOf(rs.getString("status")),
                rs.getString("error_kind"),
                rs.getString("error"),
                rs.getString("output"),
                rs.getString("finish_reason"),
                rs.getObject("prompt_tokens", Integer.class),
                rs.getObject("completion_tokens", Integer.class),
                rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getObject("duration_ms", Long.class),
                rs.getInt("transport_retries"),
                rs.getString("start_commit"),
                rs.getString("patch"));
    }

    private static Evaluation mapEvaluation(ResultSet rs, int row) throws SQLException {
        return new Evaluation(
                rs.getLong("id"),
                rs.getObject("task_id", UUID.class),
                rs.getObject("subtask_id", UUID.class),
                rs.getLong("attempt_id"),
                Verdict.valueOf(rs.getString("verdict")),
                rs.getObject("score", Double.class),
                rs.getString("feedback"),
                JsonColumns.strings(rs.getString("checks")),
                JudgedBy.fromStored(rs.getString("judged_by")),
                rs.getTimestamp("created_at").toInstant());
    }
}
