package dev.familiar.grandpa.core.context;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where context comes from and how much of it a prompt carries ({@code grandpa.context.*}). The servers
 * are Spring AI's MCP client connections ({@code spring.ai.mcp.client.stdio|streamable-http|sse.*}, or
 * the {@code mcpServers} JSON that Claude Desktop, Zed and other clients use); the roles say which tool
 * of which server plays which part.
 *
 * @param roles         each role ({@code code-symbols}, {@code notes}, any other) by name
 * @param planTokens    the most of the task's pack, which the plan is written from, in the model's tokens
 * @param subtaskTokens the most of each subtask's own pack, which its coder gets
 * @param bearerTokens  for a server reached over HTTP, the environment variable holding its bearer token
 *                      (by connection name); sent to that server only
 * @param voracleLite   the notes server shipped with grandpa, started where a vault is given
 * @param argusLite     the code-symbols server shipped with grandpa, started where enabled
 * @param lookups       how many lookups grandpa may make for a task in all, before its first plan and its re-plans
 *                      (0: it is not offered any)
 * @param lookupTokens  the most one lookup's answer may fill
 */
public record ContextSettings(Map<String, RoleSettings> roles, @DefaultValue("4000") int planTokens,
                              @DefaultValue("1500") int subtaskTokens, Map<String, String> bearerTokens,
                              @DefaultValue VoracleLiteSettings voracleLite, @DefaultValue ArgusLiteSettings argusLite,
                              @DefaultValue("3") int lookups, @DefaultValue("1000") int lookupTokens) {

    public ContextSettings {
        roles = roles == null ? new TreeMap<>() : new TreeMap<>(roles);
        if (voracleLite.vault() != null && !roles.containsKey(VoracleLiteSettings.ROLE)) {
            roles.put(VoracleLiteSettings.ROLE, new RoleSettings(VoracleLiteSettings.CONNECTION, "search", Map.of(),
                    Duration.ofSeconds(10), 2000, Set.of("plan", "subtask"), null));
        }
        if (argusLite.enabled() && !roles.containsKey(ArgusLiteSettings.ROLE)) {
            roles.put(ArgusLiteSettings.ROLE, new RoleSettings(ArgusLiteSettings.CONNECTION, "search",
                    ArgusLiteSettings.ARGUMENTS, Duration.ofSeconds(10), 2000, Set.of("plan", "subtask"), null));
        }
        roles = Collections.unmodifiableMap(roles);
        bearerTokens = bearerTokens == null ? Map.of() : Map.copyOf(bearerTokens);
        if (planTokens <= 0 || subtaskTokens <= 0 || lookupTokens <= 0 || lookups < 0) {
            throw new IllegalArgumentException("grandpa.context.plan-tokens, subtask-tokens and lookup-tokens must be "
                    + "positive, and lookups 0 or more");
        }
    }
}
