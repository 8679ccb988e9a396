package dev.familiar.grandpa.core.mcp;

import dev.familiar.grandpa.core.api.BackendController;
import dev.familiar.grandpa.core.api.TaskController;
import dev.familiar.grandpa.core.api.TaskFollowing;
import dev.familiar.grandpa.core.api.TaskIntake;
import dev.familiar.grandpa.core.security.CallerRole;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's MCP server over streamable HTTP at {@code /mcp}, behind the same tokens as the API (it
 * needs OPERATOR). Tool calls run on the request's own (virtual) thread, so a long wait_for_task holds
 * nothing else up.
 */
@Configuration(proxyBeanMethods = false)
class McpServerConfiguration {
    static final String ENDPOINT = "/mcp";

    private final AtomicBoolean closing = new AtomicBoolean();

    /** MCP's own messages are read leniently (clients add fields); the API's strict reading is for its bodies. */
    private static final JacksonMcpJsonMapper PROTOCOL = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    @Bean
    HttpServletStreamableServerTransportProvider mcpTransport() {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(PROTOCOL)
                .mcpEndpoint(ENDPOINT)
                .keepAliveInterval(Duration.ofSeconds(15))
                .build();
    }

    @Bean
    ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
            HttpServletStreamableServerTransportProvider transport) {
        var registration = new ServletRegistrationBean<>(transport, ENDPOINT);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean(destroyMethod = "closeGracefully")
    McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, TaskIntake intake, TaskController tasks,
                            BackendController backends, TaskFollowing following, JsonMapper json, RoleHierarchy roles) {
        var operations = new TaskOperations(intake, tasks, backends, following, json, closing::get, new CallerRole(roles));
        return McpTools.server(McpServer.sync(transport).jsonMapper(PROTOCOL).immediateExecution(true),
                new McpTools(operations, PROTOCOL));
    }

    /** The service stops: waits end at once (their answers say where the task stands). */
    @Bean
    ApplicationListener<ContextClosedEvent> mcpWaitsEnd() {
        return event -> closing.set(true);
    }
}
