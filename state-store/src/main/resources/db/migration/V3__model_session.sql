-- grandpa's resident model session: its history, turn by turn, exactly as sent and kept, so a
-- restarted grandpa sends the same prompt prefix again and finds it in the server's slot.
create table model_session_turns (
    session_key text        not null,
    position    int         not null,
    request     text        not null,
    answer      text        not null,
    created_at  timestamptz not null default now(),
    primary key (session_key, position)
);
