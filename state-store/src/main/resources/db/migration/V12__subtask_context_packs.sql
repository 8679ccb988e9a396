-- Each subtask gets a pack of its own beside the task's (subtask_id null), and every pack keeps what it
-- left out and why, how its tokens were counted and the budget it was filled to.
alter table context_packs drop constraint context_packs_pkey;
alter table context_packs add column id bigserial primary key;
alter table context_packs add column subtask_id uuid references subtasks (id);
create unique index context_packs_of_task on context_packs (task_id) where subtask_id is null;
create unique index context_packs_of_subtask on context_packs (subtask_id) where subtask_id is not null;
alter table context_packs add column cuts jsonb not null default '[]';
alter table context_packs add column counted_by text not null default 'estimated at 4 characters a token';
alter table context_packs add column budget int not null default 0;
