-- The context a task works from, gathered once from the MCP sources before its first plan and kept,
-- so a task picked up again after a crash plans from the same context.
create table context_packs (
    task_id    uuid        primary key references tasks (id),
    query      text        not null,
    items      jsonb       not null,
    problems   jsonb       not null default '[]',
    rendered   text        not null,
    tokens     int         not null,
    created_at timestamptz not null default now()
);
