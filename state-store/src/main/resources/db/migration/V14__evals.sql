-- The bake-off: runs of a suite's cases as real tasks, and each case's outcome and what it cost. Results
-- keep their numbers themselves (no foreign key to tasks): they outlive the pruning of finished tasks.
create table eval_runs (
    id           uuid primary key,
    label        text        not null unique,
    suite        text        not null,
    suite_folder text        not null,
    setup        text,
    repeats      int         not null,
    parallel     int         not null,
    status       text        not null,
    stand_in     boolean     not null default false,
    models       jsonb       not null default '{}',
    -- the coder backends this run's setup drained, to be given back when it ends (even after a crash)
    drained      jsonb       not null default '[]',
    created_at   timestamptz not null default now(),
    finished_at  timestamptz
);

create table eval_results (
    run_id            uuid             not null references eval_runs (id),
    case_id           text             not null,
    repetition        int              not null,
    position          int              not null,
    tries             int              not null default 0,
    task_id           uuid,
    status            text             not null,
    task_status       text,
    reason            text,
    held_out_output   text,
    seconds_to_done   double precision,
    grandpa_seconds   double precision,
    grandpa_busy      jsonb            not null default '{}',
    coder_calls       int,
    coder_tokens      bigint,
    coder_seconds     double precision,
    recoveries        jsonb            not null default '{}',
    replans           int,
    cost              double precision,
    started_at        timestamptz,
    finished_at       timestamptz,
    primary key (run_id, case_id, repetition)
);
create index eval_results_task_idx on eval_results (task_id);
