-- Work in real repositories: a task's branch, the change each attempt made, the commit each accepted
-- change became, and every check run on a change or on the branch.

create table task_workspaces (
    task_id          uuid primary key references tasks (id),
    repository       text        not null,
    branch           text        not null,
    base_commit      text        not null,
    head_commit      text        not null,
    pushed_at        timestamptz,
    pull_request_url text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

-- the change an attempt made, as a patch on the commit its worktree started from
alter table attempts add column start_commit text;
alter table attempts add column patch text;

-- the check a subtask names (one of its repository's checks), and its accepted change on the branch
alter table subtasks add column check_name text;
alter table subtasks add column commit_sha text;
alter table subtasks add column committed_at timestamptz;

create table check_results (
    id          bigserial primary key,
    task_id     uuid        not null references tasks (id),
    attempt_id  bigint references attempts (id),
    name        text        not null,
    command     text,
    commit_sha  text,
    exit_code   int,
    duration_ms bigint      not null,
    timed_out   boolean     not null default false,
    passed      boolean     not null,
    output_tail text,
    created_at  timestamptz not null default now()
);
create index check_results_task_idx on check_results (task_id, id);
