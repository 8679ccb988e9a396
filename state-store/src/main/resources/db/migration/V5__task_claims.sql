-- Which instance works each task that needs work, replacing db-scheduler's executions: a task that is
-- QUEUED, PLANNING, RUNNING, INTEGRATING or WAITING has a row here. A worker claims rows that are due,
-- or whose claim has expired (its instance died), and renews its claims while it lives. A row with no
-- due time waits for its worker (work in flight will bring it back); due_at says when to look again.
create table task_claims (
    task_id       uuid primary key references tasks (id),
    due_at        timestamptz,
    worker        text,
    claimed_until timestamptz
);
create index task_claims_due_idx on task_claims (due_at);
create index task_claims_worker_idx on task_claims (worker);

-- Tasks in flight when this version was installed continue from their last stored step.
insert into task_claims (task_id, due_at)
select id, now() from tasks where status in ('QUEUED', 'PLANNING', 'RUNNING', 'INTEGRATING', 'WAITING');

drop table scheduled_tasks;
