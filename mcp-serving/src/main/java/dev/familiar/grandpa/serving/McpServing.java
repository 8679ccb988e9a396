package dev.familiar.grandpa.serving;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one of grandpa's MCP servers: with {@code --stdio}, MCP on standard input and output (every log
 * line goes to standard error) and no web server; without, streamable HTTP at {@code /mcp} (the
 * application's {@code server.*} settings, loopback by default), asking for the bearer token in
 * {@code NAME_TOKEN} where that variable is set. Import this class into the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class McpServing {
    static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    public static void main(Class<?> application, String[] args) {
        boolean stdio = Arrays.asList(args).contains("--stdio");
        PrintStream protocol = System.out;
        if (stdio) {
            System.setOut(System.err); // standard output carries the protocol
        }
        var context = new SpringApplicationBuilder(application)
                .web(stdio ? WebApplicationType.NONE : WebApplicationType.SERVLET)
                .properties(Map.of("spring.main.banner-mode", "off", "server.address", "127.0.0.1"))
                .run(Arrays.stream(args).filter(a -> !a.equals("--stdio")).toArray(String[]::new));
        if (stdio) {
            server(McpServer.sync(new StdioServerTransportProvider(JSON, System.in, protocol)),
                    context.getBean(ServedTools.class));
        }
    }

    /** Each call is answered on the thread that read it: the SDK's stdio transport loses answers written at once. */
    static McpSyncServer server(McpServer.SyncSpecification<?> spec, ServedTools tools) {
        return spec.jsonMapper(JSON).serverInfo(tools.name(), "0.1.0").immediateExecution(true)
                .instructions(tools.instructions()).tools(tools.specifications()).build();
    }

    @Bean
    HttpServletStreamableServerTransportProvider mcpTransport() {
        return HttpServletStreamableServerTransportProvider.builder().jsonMapper(JSON).mcpEndpoint("/mcp").build();
    }

    @Bean
    ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
            HttpServletStreamableServerTransportProvider transport) {
        var registration = new ServletRegistrationBean<>(transport, "/mcp");
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean(destroyMethod = "closeGracefully")
    McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, ServedTools tools) {
        return server(McpServer.sync(transport), tools);
    }

    @Bean
    FilterRegistrationBean<BearerToken> bearerToken(ServedTools tools) {
        String variable = tools.name().toUpperCase(Locale.ROOT).replace('-', '_') + "_TOKEN";
        var registration = new FilterRegistrationBean<>(new BearerToken(System.getenv(variable)));
        registration.addUrlPatterns("/*");
        return registration;
    }
}
