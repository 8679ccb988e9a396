package dev.familiar.grandpa.core.grandpa;

import dev.familiar.grandpa.store.session.SessionRepository;
import dev.familiar.grandpa.store.session.SessionTurn;
import java.util.List;

/** Where grandpa's model session keeps its history between runs of grandpa. */
public interface SessionMemory {
    List<SessionTurn> load();

    void append(SessionTurn turn);

    /** The session starts over. */
    void clear();

    /** Nothing kept: a restarted grandpa starts a new session. */
    SessionMemory NONE = new SessionMemory() {
        @Override
        public List<SessionTurn> load() {
            return List.of();
        }

        @Override
        public void append(SessionTurn turn) {
        }

        @Override
        public void clear() {
        }
    };

    /** In PostgreSQL, under the key of the server and slot the session is pinned to. */
    static SessionMemory stored(SessionRepository repository, String key) {
        return new SessionMemory() {
            @Override
            public List<SessionTurn> load() {
                return repository.turns(key);
            }

            @Override
            public void append(SessionTurn turn) {
                repository.append(key, turn);
            }

            @Override
            public void clear() {
                repository.clear(key);
            }
        };
    }
}
