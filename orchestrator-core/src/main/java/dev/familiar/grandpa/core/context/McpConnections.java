package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.McpConnection;
import dev.familiar.grandpa.context.McpEndpoint;
import io.modelcontextprotocol.client.transport.ServerParameters;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpSseClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStdioClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;

/**
 * The MCP servers Spring AI's client configuration names, each as grandpa's own {@link McpConnection}
 * (connected on first use, reconnected after a failure), by connection name. Spring AI's starter would
 * connect every server once at start, and a server down then stops the service; grandpa reads the same
 * configuration (and the same {@code mcpServers} JSON) but keeps the connections itself.
 */
final class McpConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpConnections.class);
    private final Map<String, McpConnection> byName;
    /** What is undone after the servers stopped: a sandbox's namespace and files. */
    private final List<AutoCloseable> undo;

    McpConnections(Map<String, McpConnection> byName, List<AutoCloseable> undo) {
        this.byName = Map.copyOf(byName);
        this.undo = List.copyOf(undo);
    }

    /**
     * The connections the three kinds of Spring AI client properties name, and the servers grandpa ships and
     * starts itself; bearer tokens from these variables.
     */
    static McpConnections of(McpStdioClientProperties stdio, McpStreamableHttpClientProperties streamable,
                             McpSseClientProperties sse, Map<String, McpEndpoint> shipped, Map<String, String> bearerTokens,
                             Map<String, String> environment, Duration timeout, List<AutoCloseable> undo) {
        var endpoints = new TreeMap<String, McpEndpoint>();
        var clashes = new ArrayList<String>();
        shipped.forEach((name, endpoint) -> add(endpoints, clashes, name, endpoint));
        stdio.toServerParameters().forEach((name, p) -> add(endpoints, clashes, name, process(name, p)));
        streamable.getConnections().forEach((name, c) -> add(endpoints, clashes, name,
                http(name, c.url(), c.endpoint() == null ? "/mcp" : c.endpoint(), false, bearerTokens, environment)));
        sse.getConnections().forEach((name, c) -> add(endpoints, clashes, name,
                http(name, c.url(), c.sseEndpoint() == null ? "/sse" : c.sseEndpoint(), true, bearerTokens, environment)));
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("MCP connections named twice (stdio, streamable-http, sse, or a server "
                    + "grandpa ships): " + clashes);
        }
        for (String name : bearerTokens.keySet()) {
            if (!(endpoints.get(name) instanceof McpEndpoint.Http)) {
                throw new IllegalArgumentException("grandpa.context.bearer-tokens names " + name
                        + ", which is no MCP connection over HTTP; those are " + endpoints.keySet());
            }
        }
        var connections = new TreeMap<String, McpConnection>();
        endpoints.forEach((name, endpoint) -> connections.put(name, new McpConnection(name, endpoint, timeout)));
        return new McpConnections(connections, undo);
    }

    /**
     * Connects to every server on a thread of its own, so the first task does not wait for a process to
     * start (a JVM, an embedding model); one that is away is connected to on first use, as ever.
     */
    void connectInBackground() {
        byName.values().forEach(connection -> Thread.startVirtualThread(() -> {
            try {
                connection.tools();
            } catch (RuntimeException e) {
                log.info("MCP server {} is not reachable yet ({}); it is asked again when a task needs it",
                        connection.name(), e.getMessage());
            }
        }));
    }

    McpConnection named(String name) {
        McpConnection connection = byName.get(name);
        if (connection == null) {
            throw new IllegalArgumentException("no MCP connection named '" + name + "'; spring.ai.mcp.client.* names "
                    + (byName.isEmpty() ? "none" : String.join(", ", new TreeMap<>(byName).keySet())));
        }
        return connection;
    }

    List<String> names() {
        return List.copyOf(new TreeMap<>(byName).keySet());
    }

    private static void add(Map<String, McpEndpoint> endpoints, List<String> clashes, String name, McpEndpoint endpoint) {
        if (endpoints.putIfAbsent(name, endpoint) != null) {
            clashes.add(name);
        }
    }

    private static McpEndpoint process(String name, ServerParameters p) {
        if (p.getCommand() == null || p.getCommand().isBlank()) {
            throw new IllegalArgumentException("MCP connection " + name + " names no command (only stdio servers are "
                    + "read from the mcpServers JSON; give one over HTTP under spring.ai.mcp.client.streamable-http)");
        }
        var command = new ArrayList<String>();
        command.add(p.getCommand());
        command.addAll(p.getArgs() == null ? List.of() : p.getArgs());
        return new McpEndpoint.Process(command, p.getEnv());
    }

    private static McpEndpoint http(String name, String url, String path, boolean sse, Map<String, String> bearerTokens,
                                    Map<String, String> environment) {
        if (url == null) {
            throw new IllegalArgumentException("MCP connection " + name + " needs its url");
        }
        String variable = bearerTokens.get(name);
        String token = variable == null ? null : environment.get(variable);
        if (variable != null && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("MCP connection " + name + "'s token is to be in " + variable
                    + ", which is not set");
        }
        return new McpEndpoint.Http(URI.create(url.replaceAll("/+$", "") + (path.startsWith("/") ? path : "/" + path)),
                sse, token);
    }

    @Override
    public void close() {
        byName.values().forEach(McpConnection::close);
        for (AutoCloseable step : undo) {
            try {
                step.close();
            } catch (Exception e) {
                log.debug("Could not undo {}: {}", step, e.getMessage());
            }
        }
    }
}
