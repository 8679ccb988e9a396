package dev.familiar.grandpa.core.context;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One context role ({@code grandpa.context.roles.<role>.*}): which MCP connection's tool plays it and with
 * what arguments.
 *
 * @param server    the connection's name under {@code spring.ai.mcp.client.*} (or in the mcpServers JSON)
 * @param arguments each argument of the tool as a template: {@code {query}}, {@code {title}}, {@code {goal}},
 *                  {@code {repository}}, {@code {instructions}}, {@code {files}}, {@code {symbols}}; empty:
 *                  {@code query: "{query}"}
 * @param stages    when it is asked: {@code plan} (the task's pack), {@code subtask} (each subtask's own)
 * @param maxTokens   the most of one pack this role may fill
 * @param description what the role finds, as grandpa's model is told when it is offered the role as a tool
 *                    (not the server's own words: the tools must be the same from the first request on); empty: a
 *                    line of grandpa's own for {@code notes} and {@code code-symbols}, else the role's name
 */
record RoleSettings(String server, @DefaultValue("search") String tool, Map<String, String> arguments,
                    @DefaultValue("10s") Duration timeout, @DefaultValue("2000") int maxTokens,
                    @DefaultValue({"plan", "subtask"}) Set<String> stages, String description) {

    public RoleSettings {
        arguments = arguments == null || arguments.isEmpty() ? Map.of("query", "{query}") : Map.copyOf(arguments);
        stages = Set.copyOf(stages);
        if (!Set.of("plan", "subtask").containsAll(stages) || stages.isEmpty()) {
            throw new IllegalArgumentException("a context role's stages are plan and/or subtask, not " + stages);
        }
    }
}
