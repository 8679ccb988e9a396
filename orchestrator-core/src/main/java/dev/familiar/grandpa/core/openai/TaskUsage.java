package dev.familiar.grandpa.core.openai;

import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventCodec;
import dev.familiar.grandpa.core.events.EventType;
import dev.familiar.grandpa.store.event.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tokens a task cost so far, in OpenAI's {@code usage} shape: what grandpa's model read and wrote
 * (its {@code model.call} events) and what the coders read and wrote (their attempts).
 */
@Component
class TaskUsage {
    private final JdbcClient jdbc;
    private final EventLog events;

    TaskUsage(JdbcClient jdbc, EventLog events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    Map<String, Object> of(UUID task) {
        long[] model = new long[2];
        events.ofType(task, EventType.MODEL_CALL.wireName()).stream().flatMap(e -> EventCodec.decode(e).stream())
                .map(Event.ModelCalled.class::cast)
                .forEach(call -> {
                    model[0] += call.promptTokens();
                    model[1] += call.predictedTokens();
                });
        long[] coders = jdbc.sql("select coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0) from attempts "
                + "where task_id = ?").param(task).query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
        long prompt = model[0] + coders[0];
        long completion = model[1] + coders[1];
        var usage = new LinkedHashMap<String, Object>();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }
}
