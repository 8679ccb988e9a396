package dev.familiar.grandpa.core.testing;

import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A grandpa model for unit tests that answers from a script, in order, and keeps what it was asked.
 * An answer may also be thrown (the model being away, say). Not a model, and no HTTP: tests of the
 * HTTP path use the stand-in llama-server.
 */
public final class ScriptedGrandpa implements GrandpaModel {
    public record Asked(UUID taskId, Purpose purpose, String request, JsonSchema schema) {}

    private final Deque<Supplier<String>> script = new ArrayDeque<>();
    private final List<Asked> asked = new ArrayList<>();

    public ScriptedGrandpa answering(String... answers) {
        for (String answer : answers) {
            script.add(() -> answer);
        }
        return this;
    }

    public ScriptedGrandpa failing(RuntimeException error) {
        script.add(() -> {
            throw error;
        });
        return this;
    }

    public List<Asked> asked() {
        return List.copyOf(asked);
    }

    @Override
    public synchronized String ask(UUID taskId, Purpose purpose, String request, JsonSchema schema) {
        asked.add(new Asked(taskId, purpose, request, schema));
        Supplier<String> next = script.poll();
        if (next == null) {
            throw new AssertionError("the scripted grandpa has no answer left for: " + request);
        }
        return next.get();
    }
}
