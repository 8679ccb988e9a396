package dev.familiar.grandpa.store.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * History for the dashboard, from PostgreSQL (so it survives restarts and every instance shows the same):
 * delegation outcomes per backend and capability, counted as they happen into 5-minute buckets
 * ({@link #count}), and grandpa's model calls per model, aggregated from their events, in time buckets.
 */
public class StatsRepository {
    private final JdbcClient jdbc;

    public StatsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Passed: an output the judge passed; failed: a failed call, or an output judged revise or fail (as
     * {@code /api/backends} counts them).
     */
    public record DelegationBucket(Instant start, String backend, String capability, long passed, long failed) {}

    /** grandpa's calls to one model in one bucket: averages of what llama-server measured. */
    public record ModelBucket(Instant start, String model, long calls, long promptTokens, long cachedTokens,
                              double promptPerSecond, double generationPerSecond, double firstTokenMsMedian,
                              long sessionTokensMax) {}

    public List<DelegationBucket> delegations(Duration range, Duration bucket) {
        return jdbc.sql("""
                        select date_bin(make_interval(secs => :bucket), bucket, timestamptz '1970-01-01 00:00:00+00'),
                               backend, capability, sum(passed), sum(failed)
                        from delegation_history
                        where bucket > now() - make_interval(secs => :range)
                        group by 1, 2, 3
                        order by 1, 2, 3""")
                .param("bucket", (double) bucket.toSeconds())
                .param("range", (double) range.toSeconds())
                .query((rs, n) -> new DelegationBucket(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5)))
                .list();
    }

    /** Counts one delegation's outcome now: an output passed, or a call failed or an output judged revise or fail. */
    public void count(String backend, String capability, boolean passed) {
        jdbc.sql("""
                        insert into delegation_history (bucket, backend, capability, passed, failed)
                        values (date_bin('5 minutes', now(), timestamptz '1970-01-01 00:00:00+00'), :backend, :capability,
                                :passed, :failed)
                        on conflict (bucket, backend, capability) do update
                        set passed = delegation_history.passed + excluded.passed,
                            failed = delegation_history.failed + excluded.failed""")
                .param("backend", backend)
                .param("capability", capability)
                .param("passed", passed ? 1 : 0)
                .param("failed", passed ? 0 : 1)
                .update();
    }

    public List<ModelBucket> modelCalls(Duration range, Duration bucket) {
        return jdbc.sql("""
                        select to_timestamp(floor(extract(epoch from created_at) / :bucket) * :bucket) as start,
                               coalesce(data ->> 'model', 'unnamed') as model,
                               count(*),
                               sum((data ->> 'promptTokens')::bigint),
                               sum((data ->> 'cachedTokens')::bigint),
                               coalesce(avg((data ->> 'promptPerSecond')::float) filter (where (data ->> 'promptPerSecond')::float > 0), 0),
                               coalesce(avg((data ->> 'predictedPerSecond')::float) filter (where (data ->> 'predictedPerSecond')::float > 0), 0),
                               coalesce(percentile_cont(0.5) within group (order by (data ->> 'firstTokenMs')::float)
                                        filter (where (data ->> 'firstTokenMs')::float >= 0), 0),
                               max((data ->> 'promptTokens')::bigint + (data ->> 'predictedTokens')::bigint)
                        from task_events
                        where type = 'model.call' and created_at > now() - make_interval(secs => :range)
                        group by 1, 2
                        order by 1, 2""")
                .param("bucket", (double) bucket.toSeconds())
                .param("range", (double) range.toSeconds())
                .query((rs, n) -> new ModelBucket(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getLong(9)))
                .list();
    }
}
