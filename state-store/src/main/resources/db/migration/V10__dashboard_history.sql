-- The dashboard's history is aggregated from attempts and model calls by time: find them by time.
create index attempts_finished_idx on attempts (finished_at);
create index task_events_model_call_idx on task_events (created_at) where type = 'model.call';
