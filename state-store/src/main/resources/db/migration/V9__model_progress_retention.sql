-- Progress reports of grandpa's own model are pruned with the relayed pieces of coders' answers.
drop index task_events_output_idx;
create index task_events_output_idx on task_events (created_at)
    where type in ('attempt.output', 'attempt.output.restart', 'model.progress');
