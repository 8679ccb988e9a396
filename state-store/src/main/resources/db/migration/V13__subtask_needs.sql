-- What grandpa's plan says a subtask's coder needs to know besides its instructions; its context pack is
-- looked up with it.
alter table subtasks add column needs text;
