package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.SessionMemory;
import dev.familiar.grandpa.runtime.session.SessionTurn;
import dev.familiar.grandpa.runtime.session.ToolUse;
import dev.familiar.grandpa.store.jdbc.StoredText;
import dev.familiar.grandpa.store.session.SessionRepository;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A session's history in PostgreSQL, under the key of the server and slot the session is pinned to. */
public record StoredSessionMemory(SessionRepository repository, String key) implements SessionMemory {
    /** Strings cleaned as they are written: a tool's answer may hold what jsonb refuses. */
    private static final JsonMapper JSON = JsonMapper.builder().addModule(StoredText.jacksonModule()).build();
    private static final TypeReference<List<ToolUse>> USES = new TypeReference<>() { };

    @Override
    public List<SessionTurn> load() {
        return repository.turns(key).stream().map(t -> new SessionTurn(t.position(), t.request(), t.answer(),
                JSON.readValue(t.toolUses(), USES), t.callsWritten())).toList();
    }

    @Override
    public void append(SessionTurn turn) {
        repository.append(key, new dev.familiar.grandpa.store.session.SessionTurn(turn.position(), turn.request(),
                turn.answer(), JSON.writeValueAsString(turn.toolUses()), turn.callsWritten()));
    }

    @Override
    public void clear() {
        repository.clear(key);
    }
}
