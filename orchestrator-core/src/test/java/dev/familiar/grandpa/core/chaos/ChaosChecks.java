package dev.familiar.grandpa.core.chaos;

import dev.familiar.grandpa.workspace.git.Git;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What must hold after the chaos run, read from the database and the repository: every task DONE
 * (none lost, none BLOCKED for a backend or the model being away), no subtask accepted twice, every
 * accepted one with exactly one passing verdict, no commit made twice on a task's branch, each task's
 * history consistent, and every restart up on its first try.
 */
final class ChaosChecks {
    private ChaosChecks() {}

    record Figures(int tasks, int kills, int pgRestarts, int modelKills, int coderFlaps, List<Long> readyMs,
                   int firstTryFailures, long seconds) {}

    static boolean report(JdbcClient jdbc, Path mirror, Figures f) {
        long stored = count(jdbc, "select count(*) from tasks");
        long done = count(jdbc, "select count(*) from tasks where status = 'DONE'");
        long blocked = count(jdbc, "select count(*) from tasks where status = 'BLOCKED'");
        long twiceAccepted = count(jdbc, """
                select count(*) from (select data ->> 'subtask', task_id from task_events where type = 'subtask.accepted'
                                      group by 1, 2 having count(*) > 1) twice""");
        long acceptedWithoutPass = count(jdbc, """
                select count(*) from subtasks s where s.status = 'ACCEPTED' and (select count(*) from evaluations e
                    where e.subtask_id = s.id and e.verdict = 'PASS') <> 1""");
        long interrupted = count(jdbc, "select count(*) from attempts where status = 'INTERRUPTED'");
        long awayFailures = count(jdbc, "select count(*) from attempts where status = 'FAILED' and error_kind in "
                + "('UNREACHABLE', 'CONNECTION_LOST', 'CIRCUIT_OPEN', 'SERVER_ERROR', 'TIMEOUT', 'BUSY')");
        long attempts = count(jdbc, "select count(*) from attempts");
        long inconsistent = count(jdbc, """
                select count(*) from tasks t where
                   (select type from task_events where task_id = t.id order by id limit 1) <> 'submitted'
                or (select data ->> 'status' from task_events where task_id = t.id and type = 'status' order by id desc limit 1) <> 'DONE'
                or (select count(*) from task_events where task_id = t.id and type = 'status' and data ->> 'status' = 'DONE') <> 1
                or exists (select 1 from task_events a where a.task_id = t.id and a.type = 'attempt.started'
                           and not exists (select 1 from task_events p where p.task_id = t.id and p.type = 'planned' and p.id < a.id))
                """);
        var branches = jdbc.sql("select base_commit, head_commit from task_workspaces").query((rs, n) ->
                new String[] {rs.getString(1), rs.getString(2)}).list();
        long doubledCommits = 0;
        var git = new Git(Duration.ofSeconds(30));
        for (String[] b : branches) {
            var subtasks = git.run(mirror, "log", "--format=%(trailers:key=Grandpa-Subtask,valueonly)", b[0] + ".." + b[1])
                    .lines().filter(l -> !l.isBlank()).toList();
            doubledCommits += subtasks.size() - new HashSet<>(subtasks).size();
        }
        var ready = new ArrayList<>(f.readyMs());
        Collections.sort(ready);
        System.out.printf("chaos run: %d tasks (%d in a repository), %d SIGKILLs of the service, %d PostgreSQL restarts, "
                + "%d kills of grandpa's model mid-answer, %d coder flaps, %d s%n", f.tasks(), branches.size(), f.kills(),
                f.pgRestarts(), f.modelKills(), f.coderFlaps(), f.seconds());
        System.out.printf("restarts not up on their first try: %d; ready after %d / %d / %d ms (min / median / max)%n",
                f.firstTryFailures(), ready.getFirst(), ready.get(ready.size() / 2), ready.getLast());
        System.out.printf("tasks stored %d, DONE %d, BLOCKED %d; subtasks accepted twice %d; accepted without exactly one "
                + "pass %d; commits made twice %d; histories inconsistent %d%n", stored, done, blocked, twiceAccepted,
                acceptedWithoutPass, doubledCommits, inconsistent);
        System.out.printf("attempts %d: interrupted by a kill and made again %d, failed while a backend was away %d%n",
                attempts, interrupted, awayFailures);
        boolean held = f.firstTryFailures() == 0 && stored == f.tasks() && done == f.tasks() && twiceAccepted == 0
                && acceptedWithoutPass == 0 && doubledCommits == 0 && inconsistent == 0;
        System.out.println(held ? "HELD" : "DID NOT HOLD");
        return held;
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
