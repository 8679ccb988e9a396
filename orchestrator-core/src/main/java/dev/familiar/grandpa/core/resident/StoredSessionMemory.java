package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.SessionMemory;
import dev.familiar.grandpa.runtime.session.SessionTurn;
import dev.familiar.grandpa.store.session.SessionRepository;
import java.util.List;

/** A session's history in PostgreSQL, under the key of the server and slot the session is pinned to. */
public record StoredSessionMemory(SessionRepository repository, String key) implements SessionMemory {
    @Override
    public List<SessionTurn> load() {
        return repository.turns(key).stream().map(t -> new SessionTurn(t.position(), t.request(), t.answer())).toList();
    }

    @Override
    public void append(SessionTurn turn) {
        repository.append(key, new dev.familiar.grandpa.store.session.SessionTurn(turn.position(), turn.request(), turn.answer()));
    }

    @Override
    public void clear() {
        repository.clear(key);
    }
}
