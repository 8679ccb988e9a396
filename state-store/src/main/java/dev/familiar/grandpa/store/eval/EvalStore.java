package dev.familiar.grandpa.store.eval;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Bake-off runs and their cases' outcomes. */
public class EvalStore {
    /** One case of a run as it is made: its id, which repetition, and its place in the run's order. */
    public record NewCase(String caseId, int repetition, int position) {}

    private final JdbcClient jdbc;

    public EvalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the run and its cases, all PENDING (the caller holds a transaction around it). */
    public void create(EvalRun run, List<NewCase> cases) {
        jdbc.sql("""
                        insert into eval_runs (id, label, suite, suite_folder, setup, repeats, parallel, status, stand_in, models)
                        values (:id, :label, :suite, :folder, :setup, :repeats, :parallel, :status, :standIn, cast(:models as jsonb))""")
                .param("id", run.id()).param("label", run.label()).param("suite", run.suite())
                .param("folder", run.suiteFolder()).param("setup", run.setup()).param("repeats", run.repeats())
                .param("parallel", run.parallel()).param("status", run.status().name()).param("standIn", run.standIn())
                .param("models", run.models())
                .update();
        for (NewCase c : cases) {
            jdbc.sql("""
                            insert into eval_results (run_id, case_id, repetition, position, status)
                            values (:run, :case, :repetition, :position, 'PENDING')""")
                    .param("run", run.id()).param("case", c.caseId()).param("repetition", c.repetition())
                    .param("position", c.position())
                    .update();
        }
    }

    public Optional<EvalRun> find(UUID id) {
        return jdbc.sql("select * from eval_runs where id = :id").param("id", id).query(EvalStore::run).optional();
    }

    public Optional<EvalRun> findByLabel(String label) {
        return jdbc.sql("select * from eval_runs where label = :label").param("label", label).query(EvalStore::run)
                .optional();
    }

    /** Runs whose id starts so (an id as a page shows it, shortened). */
    public List<EvalRun> withIdPrefix(String prefix, int limit) {
        if (!prefix.matches("[0-9a-fA-F-]{1,36}")) {
            return List.of();
        }
        return jdbc.sql("select * from eval_runs where id::text like :prefix order by created_at desc limit :limit")
                .param("prefix", prefix.toLowerCase(java.util.Locale.ROOT) + "%").param("limit", limit)
                .query(EvalStore::run).list();
    }

    /** The latest runs first. */
    public List<EvalRun> list(int limit) {
        return jdbc.sql("select * from eval_runs order by created_at desc limit :limit").param("limit", limit)
                .query(EvalStore::run).list();
    }

    public List<EvalRun> running() {
        return jdbc.sql("select * from eval_runs where status = 'RUNNING' order by created_at").query(EvalStore::run).list();
    }

    public boolean setStatus(UUID run, EvalRunStatus from, EvalRunStatus to) {
        return jdbc.sql("""
                        update eval_runs set status = :to,
                               finished_at = case when :to = 'FINISHED' then now() else finished_at end
                        where id = :id and status = :from""")
                .param("id", run).param("from", from.name()).param("to", to.name())
                .update() == 1;
    }

    /** The models the run works on, as JSON (set again when its setup switched them). */
    public void setModels(UUID run, String models, boolean standIn) {
        jdbc.sql("update eval_runs set models = cast(:models as jsonb), stand_in = :standIn where id = :id").param("id", run)
                .param("models", models).param("standIn", standIn).update();
    }

    /** The backends the run's setup drained (to give back when it ends). */
    public List<String> drained(UUID run) {
        return jdbc.sql("select drained from eval_runs where id = :id").param("id", run)
                .query((rs, n) -> JsonColumns.strings(rs.getString(1))).optional().orElse(List.of());
    }

    public void setDrained(UUID run, List<String> backends) {
        jdbc.sql("update eval_runs set drained = cast(:drained as jsonb) where id = :id").param("id", run)
                .param("drained", JsonColumns.write(backends)).update();
    }

    /** Runs that are not running but still hold backends their setup drained (a crash before giving them back). */
    public List<UUID> holdingDrained() {
        return jdbc.sql("select id from eval_runs where status <> 'RUNNING' and drained <> '[]'::jsonb")
                .query((rs, n) -> rs.getObject(1, UUID.class)).list();
    }

    /** How many cases of running runs under another setup than this one (null: none) have a task being worked now. */
    public int casesInFlightOutside(String setup) {
        return jdbc.sql("""
                        select count(*) from eval_results r join eval_runs u on u.id = r.run_id
                        where u.status = 'RUNNING' and r.status = 'RUNNING' and u.setup is distinct from :setup""")
                .param("setup", setup)
                .query(Integer.class).single();
    }

    /** The run's cases in their order. */
    public List<EvalResult> results(UUID run) {
        return jdbc.sql("select * from eval_results where run_id = :run order by position, repetition")
                .param("run", run).query(EvalStore::result).list();
    }

    /** The case was given a task (its {@code tries}-th); it is RUNNING. */
    public void started(UUID run, String caseId, int repetition, int tries, UUID task) {
        jdbc.sql("""
                        update eval_results set status = 'RUNNING', task_id = :task, tries = :tries, started_at = now(),
                               finished_at = null, reason = null
                        where run_id = :run and case_id = :case and repetition = :repetition""")
                .param("run", run).param("case", caseId).param("repetition", repetition).param("tries", tries)
                .param("task", task)
                .update();
    }

    /** The case ended: solved or not, why not, and what it took. Only a RUNNING case ends (once). */
    public boolean ended(UUID run, String caseId, int repetition, EvalCaseStatus status, String taskStatus, String reason,
                         String heldOutOutput, EvalResult.CaseMeasures m) {
        return jdbc.sql("""
                        update eval_results set status = :status, task_status = :taskStatus, reason = :reason,
                               held_out_output = :heldOut, seconds_to_done = :toDone, grandpa_seconds = :grandpa,
                               grandpa_busy = cast(:busy as jsonb), coder_calls = :calls, coder_tokens = :tokens,
                               coder_seconds = :coderSeconds, recoveries = cast(:recoveries as jsonb), replans = :replans,
                               cost = :cost, finished_at = now()
                        where run_id = :run and case_id = :case and repetition = :repetition and status = 'RUNNING'""")
                .param("run", run).param("case", caseId).param("repetition", repetition).param("status", status.name())
                .param("taskStatus", taskStatus).param("reason", reason).param("heldOut", heldOutOutput)
                .param("toDone", m.secondsToDone()).param("grandpa", m.grandpaSeconds())
                .param("busy", JsonColumns.write(m.grandpaBusy())).param("calls", m.coderCalls())
                .param("tokens", m.coderTokens()).param("coderSeconds", m.coderSeconds())
                .param("recoveries", JsonColumns.write(m.recoveries())).param("replans", m.replans()).param("cost", m.cost())
                .update() == 1;
    }

    /** A case whose task was cancelled with its run waits for a new task when the run is resumed. */
    public void pendingAgain(UUID run, String caseId, int repetition) {
        jdbc.sql("""
                        update eval_results set status = 'PENDING', task_id = null, started_at = null
                        where run_id = :run and case_id = :case and repetition = :repetition and status = 'RUNNING'""")
                .param("run", run).param("case", caseId).param("repetition", repetition)
                .update();
    }

    /**
     * What the task took, from what the service recorded of it: grandpa's model calls (their events), the
     * coders' attempts, the recovery steps and the plan versions.
     *
     * @param costs each backend's relative cost by name (a backend not named costs 1)
     */
    public EvalResult.CaseMeasures measure(UUID task, Map<String, Double> costs) {
        var busy = new LinkedHashMap<String, Double>();
        jdbc.sql("""
                        select data->>'purpose' as purpose, sum(cast(data->>'wallMs' as double precision)) / 1000 as seconds
                        from task_events where task_id = :task and type = 'model.call' group by 1 order by 1""")
                .param("task", task)
                .query((rs, n) -> busy.put(rs.getString("purpose"), rs.getDouble("seconds"))).list();
        var recoveries = new LinkedHashMap<String, Integer>();
        jdbc.sql("select rung, count(*) as n from recovery_actions where task_id = :task group by rung order by rung")
                .param("task", task)
                .query((rs, n) -> recoveries.put(rs.getString("rung"), rs.getInt("n"))).list();
        var coders = new double[4];
        jdbc.sql("""
                        select backend, count(*) as calls,
                               coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0) as tokens,
                               coalesce(sum(duration_ms), 0) / 1000.0 as seconds
                        from attempts where task_id = :task group by backend""")
                .param("task", task)
                .query((rs, n) -> {
                    coders[0] += rs.getInt("calls");
                    coders[1] += rs.getLong("tokens");
                    coders[2] += rs.getDouble("seconds");
                    coders[3] += rs.getInt("calls") * costs.getOrDefault(rs.getString("backend"), 1.0);
                    return null;
                }).list();
        var timing = jdbc.sql("""
                        select extract(epoch from (coalesce(max(e.created_at), t.updated_at) - t.created_at)) as seconds,
                               t.plan_version
                        from tasks t left join task_events e on e.task_id = t.id and e.type = 'status'
                        where t.id = :task group by t.id""")
                .param("task", task)
                .query((rs, n) -> new double[] {rs.getDouble("seconds"), rs.getInt("plan_version")})
                .optional().orElse(new double[] {0, 0});
        double grandpa = busy.values().stream().mapToDouble(Double::doubleValue).sum();
        return new EvalResult.CaseMeasures(timing[0], grandpa, busy, (int) coders[0], (long) coders[1], coders[2], recoveries,
                Math.max(0, (int) timing[1] - 1), coders[3]);
    }

    private static EvalRun run(ResultSet rs, int row) throws SQLException {
        return new EvalRun(rs.getObject("id", UUID.class), rs.getString("label"), rs.getString("suite"),
                rs.getString("suite_folder"), rs.getString("setup"), rs.getInt("repeats"), rs.getInt("parallel"),
                EvalRunStatus.valueOf(rs.getString("status")), rs.getBoolean("stand_in"), rs.getString("models"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("finished_at")));
    }

    private static EvalResult result(ResultSet rs, int row) throws SQLException {
        var status = EvalCaseStatus.valueOf(rs.getString("status"));
        EvalResult.CaseMeasures measures = null;
        if (status == EvalCaseStatus.SOLVED || status == EvalCaseStatus.UNSOLVED) {
            var busy = new LinkedHashMap<String, Double>();
            JsonColumns.map(rs.getString("grandpa_busy")).forEach((k, v) -> busy.put(k, ((Number) v).doubleValue()));
            var recoveries = new LinkedHashMap<String, Integer>();
            JsonColumns.map(rs.getString("recoveries")).forEach((k, v) -> recoveries.put(k, ((Number) v).intValue()));
            measures = new EvalResult.CaseMeasures(rs.getDouble("seconds_to_done"), rs.getDouble("grandpa_seconds"), busy,
                    rs.getInt("coder_calls"), rs.getLong("coder_tokens"), rs.getDouble("coder_seconds"), recoveries,
                    rs.getInt("replans"), rs.getDouble("cost"));
        }
        return new EvalResult(rs.getObject("run_id", UUID.class), rs.getString("case_id"), rs.getInt("repetition"),
                rs.getInt("position"), rs.getInt("tries"), rs.getObject("task_id", UUID.class), status,
                rs.getString("task_status"), rs.getString("reason"), rs.getString("held_out_output"), measures,
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
