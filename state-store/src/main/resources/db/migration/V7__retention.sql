-- Pruning old work keeps the database bounded over months: finished tasks are found by age, and the
-- pieces of coders' answers relayed while they were produced (the bulk of the event log) by age too.
create index tasks_finished_idx on tasks (updated_at) where status in ('DONE', 'CANCELLED');
create index task_events_output_idx on task_events (created_at) where type in ('attempt.output', 'attempt.output.restart');
