package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.McpEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An MCP server that gives context (argus: code symbols; voracle: notes) ({@code grandpa.context[i]}):
 * run as a process and spoken to over stdio ({@code command}), or reached where it runs over HTTP
 * ({@code url}: streamable HTTP, or SSE for older servers with {@code sse: true}); one call of
 * {@code tool} per task, with the task as {@code queryArgument}.
 *
 * @param tokenEnv  the environment variable holding a bearer token for an HTTP server, sent to it only
 * @param maxTokens the most of the context pack this source may fill (estimated at 4 characters a token)
 */
public record ContextSourceSettings(
        String name,
        List<String> command,
        URI url,
        @DefaultValue("false") boolean sse,
        String tokenEnv,
        @DefaultValue("search") String tool,
        @DefaultValue("query") String queryArgument,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("2000") int maxTokens) {

    /** Where the server is; a source names a command or a URL, not both. */
    public McpEndpoint endpoint(Map<String, String> environment) {
        boolean hasCommand = command != null && !command.isEmpty();
        if (hasCommand == (url != null)) {
            throw new IllegalArgumentException("context source " + name + " needs either a command (an MCP server run "
                    + "as a process) or a url (one reached over HTTP), not " + (hasCommand ? "both" : "neither"));
        }
        if (hasCommand) {
            return new McpEndpoint.Process(command);
        }
        String token = tokenEnv == null ? null : environment.get(tokenEnv);
        if (tokenEnv != null && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("context source " + name + " names " + tokenEnv + " for its token, which is not set");
        }
        return new McpEndpoint.Http(url, sse, token);
    }
}
