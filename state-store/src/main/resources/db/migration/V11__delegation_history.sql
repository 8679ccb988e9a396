-- Delegation outcomes counted as they happen, per 5 minutes, backend and capability, so the dashboard's
-- history reads a few thousand rows for a week instead of every attempt (and outlives the pruning of
-- finished tasks). Passed: an output the judge passed; failed: a failed call, or a verdict of revise or fail.
create table delegation_history (
    bucket     timestamptz not null,
    backend    text        not null,
    capability text        not null,
    passed     bigint      not null default 0,
    failed     bigint      not null default 0,
    primary key (bucket, backend, capability)
);

-- what was recorded before this table, counted the same way
insert into delegation_history (bucket, backend, capability, passed, failed)
select date_bin('5 minutes', a.finished_at, timestamptz '1970-01-01 00:00:00+00'), a.backend, s.capability,
       count(*) filter (where a.status = 'SUCCEEDED' and e.verdict = 'PASS'),
       count(*) filter (where a.status = 'FAILED' or e.verdict in ('REVISE', 'FAIL'))
from attempts a
join subtasks s on s.id = a.subtask_id
left join evaluations e on e.attempt_id = a.id
where a.finished_at is not null and a.status in ('SUCCEEDED', 'FAILED')
group by 1, 2, 3;
