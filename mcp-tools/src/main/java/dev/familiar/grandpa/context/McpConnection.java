package dev.familiar.grandpa.context;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's connection to one MCP server, run as a process over stdio or reached over HTTP. It connects
 * on first use, never at start (a server that is down does not stop grandpa), and a call that fails
 * drops it, so a server that went away and came back is connected to again on the next call.
 */
public final class McpConnection implements AutoCloseable {
    private final String name;
    private final McpEndpoint endpoint;
    private final Duration timeout;
    private final ReentrantLock calls = new ReentrantLock();
    private McpSyncClient client;

    public McpConnection(String name, McpEndpoint endpoint, Duration timeout) {
        this.name = name;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    public String name() {
        return name;
    }

    public McpEndpoint endpoint() {
        return endpoint;
    }

    /**
     * One tool call; a tool that answers with an error throws with the tool's words. Calls to a process go
     * one at a time: a server on stdio may lose answers written at once (the MCP Java SDK's own stdio
     * server does, "Failed to enqueue message"), and a process serves one caller anyway.
     */
    public List<McpSchema.Content> call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = request(c -> c.callTool(new McpSchema.CallToolRequest(tool, arguments)));
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException("tool " + tool + " failed: " + text(result.content()));
        }
        return result.content();
    }

    /** The tools the server offers (connecting if need be). */
    public List<McpSchema.Tool> tools() {
        return request(c -> c.listTools().tools());
    }

    private <T> T request(Function<McpSyncClient, T> request) {
        boolean oneAtATime = endpoint instanceof McpEndpoint.Process;
        if (oneAtATime) {
            calls.lock();
        }
        try {
            return request.apply(client());
        } catch (RuntimeException e) {
            drop(); // the server may have gone away: the next call connects again
            throw e;
        } finally {
            if (oneAtATime) {
                calls.unlock();
            }
        }
    }

    private synchronized McpSyncClient client() {
        if (client == null) {
            // a server process that died at once is only noticed when this runs out: no longer than a call may take
            var started = McpClient.sync(transport()).requestTimeout(timeout).initializationTimeout(timeout)
                    .clientInfo(new McpSchema.Implementation("grandpa", "0.1.0")).build();
            try {
                started.initialize();
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            client = started;
        }
        return client;
    }

    private McpClientTransport transport() {
        var json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        return switch (endpoint) {
            case McpEndpoint.Process p -> new StdioClientTransport(ServerParameters.builder(p.command().getFirst())
                    .args(p.command().subList(1, p.command().size())).env(p.environment()).build(), json) {
                /** Only the variables the parameters name: the SDK's would inherit all of grandpa's, secrets too. */
                @Override
                protected ProcessBuilder getProcessBuilder() {
                    var builder = new ProcessBuilder();
                    builder.environment().clear();
                    return builder;
                }
            };
            case McpEndpoint.Http h when h.sse() -> HttpClientSseClientTransport.builder(h.base()).sseEndpoint(h.path())
                    .requestBuilder(authorized(h)).jsonMapper(json).build();
            case McpEndpoint.Http h -> HttpClientStreamableHttpTransport.builder(h.base()).endpoint(h.path())
                    .requestBuilder(authorized(h)).jsonMapper(json).build();
        };
    }

    private static HttpRequest.Builder authorized(McpEndpoint.Http h) {
        var builder = HttpRequest.newBuilder();
        return h.bearerToken() == null ? builder : builder.header("Authorization", "Bearer " + h.bearerToken());
    }

    private synchronized void drop() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static String text(List<McpSchema.Content> content) {
        return content.stream().filter(McpSchema.TextContent.class::isInstance).map(c -> ((McpSchema.TextContent) c).text())
                .reduce((a, b) -> a + " " + b).orElse("");
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.closeGracefully();
            client = null;
        }
    }
}
