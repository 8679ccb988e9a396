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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A context source behind an MCP server (argus, voracle), run as a process and spoken to over stdio,
 * or reached over HTTP where it runs as a service: each call is one tool call with the query as one
 * argument; each text block of the answer is one item, its first line the reference and the rest the
 * text. The client is connected on first use and kept; a call that fails drops it, so a server that
 * went away and came back is connected to again on the next call.
 */
public final class McpContextSource implements ContextSource, AutoCloseable {
    private final String name;
    private final McpEndpoint endpoint;
    private final String tool;
    private final String queryArgument;
    private final Duration timeout;
    private McpSyncClient client;

    public McpContextSource(String name, List<String> command, String tool, String queryArgument, Duration timeout) {
        this(name, new McpEndpoint.Process(command), tool, queryArgument, timeout);
    }

    public McpContextSource(String name, McpEndpoint endpoint, String tool, String queryArgument, Duration timeout) {
        this.name = name;
        this.endpoint = endpoint;
        this.tool = tool;
        this.queryArgument = queryArgument;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ContextItem> find(String query) {
        McpSchema.CallToolResult result;
        try {
            result = client().callTool(new McpSchema.CallToolRequest(tool, Map.of(queryArgument, query)));
        } catch (RuntimeException e) {
            drop(); // the server may have gone away: the next call connects again
            throw e;
        }
        var items = new ArrayList<ContextItem>();
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException("tool " + tool + " failed: " + text(result.content()));
        }
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent text && !text.text().isBlank()) {
                String[] lines = text.text().strip().split("\n", 2);
                items.add(new ContextItem(name, items.size(), lines[0].strip(), lines.length > 1 ? lines[1] : ""));
            }
        }
        return items;
    }

    private synchronized McpSyncClient client() {
        if (client == null) {
            var started = McpClient.sync(transport()).requestTimeout(timeout).initializationTimeout(timeout.plusSeconds(30))
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
            case McpEndpoint.Process p -> new StdioClientTransport(
                    ServerParameters.builder(p.command().getFirst()).args(p.command().subList(1, p.command().size())).build(), json);
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
