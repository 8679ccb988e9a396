package dev.familiar.grandpa.context;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A context source behind an MCP server run as a process and spoken to over stdio (argus, voracle):
 * each call is one tool call with the query as one argument; each text block of the answer is one
 * item, its first line the reference and the rest the text. The client is started on first use and
 * kept.
 */
public final class McpContextSource implements ContextSource, AutoCloseable {
    private final String name;
    private final List<String> command;
    private final String tool;
    private final String queryArgument;
    private final Duration timeout;
    private McpSyncClient client;

    public McpContextSource(String name, List<String> command, String tool, String queryArgument, Duration timeout) {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("context source " + name + " needs the command that runs its MCP server");
        }
        this.name = name;
        this.command = List.copyOf(command);
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
        McpSchema.CallToolResult result = client().callTool(new McpSchema.CallToolRequest(tool, Map.of(queryArgument, query)));
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
            var parameters = ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size())).build();
            var transport = new StdioClientTransport(parameters, new JacksonMcpJsonMapper(JsonMapper.builder().build()));
            var started = McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout.plusSeconds(30))
                    .clientInfo(new McpSchema.Implementation("grandpa", "0.1.0")).build();
            started.initialize();
            client = started;
        }
        return client;
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
