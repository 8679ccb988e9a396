package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.context.McpEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpSseClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStdioClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;
import org.springframework.core.io.FileSystemResource;

/** Spring AI's client configuration, the mcpServers JSON included, read into grandpa's connections. */
class McpConnectionsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void stdioFromTheMcpServersJsonAndHttpFromConnectionsWithATokenForThatServerOnly(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("claude_desktop_config.json"), """
                {"mcpServers": {"argus": {"command": "argus-mcp", "args": ["--stdio"], "env": {"ARGUS_ROOT": "/srv/code"}}}}""");
        var stdio = new McpStdioClientProperties();
        stdio.setServersConfiguration(new FileSystemResource(json));
        var streamable = new McpStreamableHttpClientProperties();
        streamable.getConnections().put("voracle", new McpStreamableHttpClientProperties.ConnectionParameters(
                "http://notes.home.arpa:8090/", null));
        var sse = new McpSseClientProperties();
        sse.getConnections().put("old", new McpSseClientProperties.SseParameters("http://old:9000", "/events"));

        try (var connections = McpConnections.of(stdio, streamable, sse, Map.of(), Map.of("voracle", "VORACLE_TOKEN"),
                Map.of("VORACLE_TOKEN", "s3cret"), TIMEOUT, List.of())) {
            assertThat(connections.names()).containsExactly("argus", "old", "voracle");
            var argus = (McpEndpoint.Process) connections.named("argus").endpoint();
            assertThat(argus.command()).containsExactly("argus-mcp", "--stdio");
            assertThat(argus.environment()).containsEntry("ARGUS_ROOT", "/srv/code"); // and the SDK's PATH, HOME, ...
            assertThat(connections.named("voracle").endpoint()).isEqualTo(
                    new McpEndpoint.Http(URI.create("http://notes.home.arpa:8090/mcp"), false, "s3cret"));
            assertThat(connections.named("old").endpoint()).isEqualTo(
                    new McpEndpoint.Http(URI.create("http://old:9000/events"), true, null));
            assertThatThrownBy(() -> connections.named("argos"))
                    .hasMessage("no MCP connection named 'argos'; spring.ai.mcp.client.* names argus, old, voracle");
        }
    }

    @Test
    void aTokenThatIsNotSetOrNamesNoHttpServerIsAClearError() {
        var streamable = new McpStreamableHttpClientProperties();
        streamable.getConnections().put("voracle", new McpStreamableHttpClientProperties.ConnectionParameters(
                "http://notes:8090", "/mcp"));
        assertThatThrownBy(() -> McpConnections.of(new McpStdioClientProperties(), streamable, new McpSseClientProperties(), Map.of(),
                Map.of("voracle", "VORACLE_TOKEN"), Map.of(), TIMEOUT, List.of()))
                .hasMessage("MCP connection voracle's token is to be in VORACLE_TOKEN, which is not set");
        assertThatThrownBy(() -> McpConnections.of(new McpStdioClientProperties(), streamable, new McpSseClientProperties(), Map.of(),
                Map.of("argus", "ARGUS_TOKEN"), Map.of(), TIMEOUT, List.of()))
                .hasMessage("grandpa.context.bearer-tokens names argus, which is no MCP connection over HTTP; those are [voracle]");
    }
}
