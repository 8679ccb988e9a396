package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.runtime.session.ResidentSession;
import dev.familiar.grandpa.runtime.session.ToolUse;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * grandpa's model as several resident sessions, one per slot of its server: a call goes to the
 * session of the {@link ModelQueue} lane it runs on, so each session stays append-only (its slot's
 * cache exact) while a long plan on one slot leaves the others to judge.
 */
public final class SessionPool implements GrandpaModel {
    private final List<ResidentSession> sessions;

    public SessionPool(List<ResidentSession> sessions) {
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("grandpa's model needs at least one session");
        }
        this.sessions = List.copyOf(sessions);
    }

    @Override
    public String ask(UUID taskId, Purpose purpose, String request, JsonSchema schema) {
        return sessions.get(ModelQueue.lane() % sessions.size()).ask(taskId, purpose, request, schema);
    }

    @Override
    public Optional<List<ToolUse>> callTools(UUID taskId, Purpose purpose, String request, int maxCalls,
                                             Function<ToolExecutionRequest, String> answer) {
        return sessions.get(ModelQueue.lane() % sessions.size()).callTools(taskId, purpose, request, maxCalls, answer);
    }

    public List<ResidentSession> sessions() {
        return sessions;
    }

    /** The server restarted: each session puts its checkpoint back and finds out again how to call it. */
    public void restoreBeforeNextCall() {
        sessions.forEach(ResidentSession::restoreBeforeNextCall);
    }

    /** The server serves another model now: each session starts over, its calls recorded under that name. */
    public void startOverServing(String model) {
        sessions.forEach(s -> s.startOverServing(model));
    }

    /** A fresh server: each slot evaluates the system prompt once. */
    public void warmUp() {
        sessions.forEach(ResidentSession::warmUp);
    }
}
