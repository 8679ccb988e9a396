package dev.familiar.grandpa.core.openai;

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

    TaskUsage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, Object> of(UUID task) {
        long[] model = jdbc.sql("""
                select coalesce(sum((data ->> 'promptTokens')::bigint), 0), coalesce(sum((data ->> 'predictedTokens')::bigint), 0)
                from task_events where task_id = ? and type = 'model.call'""").param(task)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
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
