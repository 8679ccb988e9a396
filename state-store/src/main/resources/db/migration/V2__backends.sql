-- Coder backends registered from configuration or through the API. API keys are never stored:
-- api_key_env names the environment variable that holds one.
create table backends (
    name              text primary key,
    kind              text             not null,
    base_url          text,
    model             text,
    api_key_env       text,
    command           jsonb            not null default '[]',
    working_directory text,
    capabilities      jsonb            not null default '[]',
    slots             int              not null,
    timeout_ms        bigint           not null,
    context_limit     int,
    cost              double precision not null,
    enabled           boolean          not null default true,
    draining          boolean          not null default false,
    source            text             not null,
    created_at        timestamptz      not null default now(),
    updated_at        timestamptz      not null default now()
);

-- Routing reads each backend's recent outcomes per capability.
create index attempts_backend_finished_idx on attempts (backend, finished_at);
alter table attempts add column transport_retries int not null default 0;
