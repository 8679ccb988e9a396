-- The life of a task: submission, plan versions, subtasks, attempts, evaluations, recoveries, events.
-- Lists are jsonb arrays; ids of things a client sees are uuids, internal rows use bigserial.

create table tasks (
    id                 uuid primary key,
    title              text        not null,
    goal               text        not null,
    repo               text,
    labels             jsonb       not null default '[]',
    priority           int         not null default 0,
    acceptance_command text,
    idempotency_key    text unique,
    request_hash       text,
    status             text        not null,
    status_reason      text,
    plan_version       int         not null default 0,
    result             text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index tasks_status_created_idx on tasks (status, created_at);
create index tasks_created_idx on tasks (created_at);

create table plans (
    task_id    uuid        not null references tasks (id),
    version    int         not null,
    reason     text        not null,
    body       jsonb       not null,
    created_at timestamptz not null default now(),
    primary key (task_id, version)
);

create table subtasks (
    id                  uuid primary key,
    task_id             uuid        not null references tasks (id),
    plan_version        int         not null,
    key                 text        not null,
    position            int         not null,
    title               text        not null,
    instructions        text        not null,
    kind                text        not null,
    capability          text        not null,
    depends_on          jsonb       not null default '[]',
    acceptance_criteria jsonb       not null default '[]',
    status              text        not null,
    output              text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (task_id, plan_version, key)
);
create index subtasks_task_idx on subtasks (task_id);

create table attempts (
    id                bigserial primary key,
    task_id           uuid        not null references tasks (id),
    subtask_id        uuid        not null references subtasks (id),
    number            int         not null,
    backend           text        not null,
    routing_reason    text,
    feedback          text,
    status            text        not null,
    error_kind        text,
    error             text,
    output            text,
    finish_reason     text,
    prompt_tokens     int,
    completion_tokens int,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz,
    duration_ms       bigint,
    unique (subtask_id, number)
);
create index attempts_task_idx on attempts (task_id);

create table evaluations (
    id         bigserial primary key,
    task_id    uuid        not null references tasks (id),
    subtask_id uuid        not null references subtasks (id),
    attempt_id bigint      not null unique references attempts (id),
    verdict    text        not null,
    score      double precision,
    feedback   text,
    checks     jsonb       not null default '[]',
    judged_by  text        not null,
    created_at timestamptz not null default now()
);
create index evaluations_task_idx on evaluations (task_id);

create table recovery_actions (
    id         bigserial primary key,
    task_id    uuid        not null references tasks (id),
    subtask_id uuid references subtasks (id),
    rung       text        not null,
    reason     text        not null,
    created_at timestamptz not null default now()
);
create index recovery_actions_task_idx on recovery_actions (task_id);

create table task_events (
    id         bigserial primary key,
    task_id    uuid        not null references tasks (id),
    type       text        not null,
    data       jsonb       not null default '{}',
    created_at timestamptz not null default now()
);
create index task_events_task_idx on task_events (task_id, id);

-- db-scheduler's table (its PostgreSQL DDL): claims, heartbeats and revival of dead executions.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
