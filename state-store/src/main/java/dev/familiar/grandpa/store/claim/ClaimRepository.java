package dev.familiar.grandpa.store.claim;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who works which task ({@code task_claims}). A task needs work while it has a row; one instance
 * (a worker) claims it for a while and renews the claim while it lives, so a task is worked by one
 * instance at a time and taken over when that instance dies. Rows are claimed with {@code skip
 * locked}, so instances sharing the database never wait for each other.
 */
public class ClaimRepository {
    private final JdbcClient jdbc;

    public ClaimRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The task needs work now: a new row, or an existing one made due (its claim, if any, is kept). */
    public void offer(UUID taskId) {
        jdbc.sql("""
                        insert into task_claims (task_id, due_at) values (:task, now())
                        on conflict (task_id) do update set due_at = now()""")
                .param("task", taskId)
                .update();
    }

    /**
     * Claims for {@code worker} up to {@code limit} tasks that are due and unclaimed or its own, or
     * whose claim has expired; highest priority first. Their due time is consumed.
     */
    public List<UUID> claim(String worker, Duration lease, int limit) {
        return jdbc.sql("""
                        with picked as (
                            select c.task_id from task_claims c join tasks t on t.id = c.task_id
                            where (c.due_at <= now() and (c.worker is null or c.worker = :worker))
                               or c.claimed_until < now()
                            order by t.priority desc, c.due_at nulls first
                            limit :limit
                            for update of c skip locked)
                        update task_claims c
                        set worker = :worker, claimed_until = now() + make_interval(secs => :lease), due_at = null
                        from picked where c.task_id = picked.task_id
                        returning c.task_id""")
                .param("worker", worker)
                .param("lease", lease.toMillis() / 1000.0)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Whether the worker holds the task's claim now. */
    public boolean holds(UUID taskId, String worker) {
        return jdbc.sql("select count(*) from task_claims where task_id = :task and worker = :worker")
                .param("task", taskId)
                .param("worker", worker)
                .query(Long.class)
                .single() > 0;
    }

    /** Extends every claim the worker holds; returns the tasks it still holds. */
    public Set<UUID> renew(String worker, Duration lease) {
        return new HashSet<>(jdbc.sql("""
                        update task_claims set claimed_until = now() + make_interval(secs => :lease)
                        where worker = :worker returning task_id""")
                .param("worker", worker)
                .param("lease", lease.toMillis() / 1000.0)
                .query(UUID.class)
                .list());
    }

    /** When the worker that holds the task wants to look at it again (null: when its work in flight ends). */
    public void dueAt(UUID taskId, String worker, Instant at) {
        jdbc.sql("update task_claims set due_at = :at where task_id = :task and worker = :worker")
                .param("task", taskId)
                .param("worker", worker)
                .param("at", at == null ? null : java.sql.Timestamp.from(at))
                .update();
    }

    /** Makes the task due now, for whoever holds it (a cancel, say, reaches the instance that works it). */
    public void wake(UUID taskId) {
        jdbc.sql("update task_claims set due_at = now() where task_id = :task")
                .param("task", taskId)
                .update();
    }

    /** Makes every WAITING task due now; returns how many. */
    public int wakeWaiting() {
        return jdbc.sql("""
                        update task_claims set due_at = now()
                        where task_id in (select id from tasks where status = 'WAITING')""")
                .update();
    }

    /** The task needs no more work (it is done, blocked or cancelled); call in the transaction that says so. */
    public void remove(UUID taskId) {
        jdbc.sql("delete from task_claims where task_id = :task").param("task", taskId).update();
    }

    /** Gives the worker's claim of the task up, if it still holds it; true when a row was removed. */
    public boolean release(UUID taskId, String worker) {
        return jdbc.sql("delete from task_claims where task_id = :task and worker = :worker")
                .param("task", taskId)
                .param("worker", worker)
                .update() == 1;
    }

    /** Hands every claim of a stopping worker back, due now, so another instance takes them at once. */
    public int releaseAll(String worker) {
        return jdbc.sql("update task_claims set worker = null, claimed_until = null, due_at = now() where worker = :worker")
                .param("worker", worker)
                .update();
    }
}
