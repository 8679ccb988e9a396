-- A turn of grandpa's model session may call tools (context lookups in the template's own syntax): the calls
-- and their answers are part of the history, re-sent exactly, so they are kept with the turn.
alter table model_session_turns
    add column tool_uses     jsonb   not null default '[]',
    add column calls_written boolean not null default false;
