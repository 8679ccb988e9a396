package dev.familiar.grandpa.runtime.session;

import java.util.List;

/** Where a session keeps its history between runs of grandpa, so a restarted grandpa continues it. */
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
}
