package dev.familiar.grandpa.voracle;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * voracle-lite: a folder of Markdown notes (an Obsidian vault) searched by keyword and by meaning over
 * MCP. {@code --vault=DIR --stdio} speaks MCP on standard input and output (what grandpa starts);
 * {@code --vault=DIR [--server.port=8090]} serves streamable HTTP at {@code /mcp} on 127.0.0.1, asking
 * for {@code VORACLE_LITE_TOKEN} as a bearer token where that variable is set.
 */
@SpringBootApplication
public class VoracleLite {
    static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    public static void main(String[] args) {
        boolean stdio = Arrays.asList(args).contains("--stdio");
        PrintStream protocol = System.out;
        if (stdio) {
            System.setOut(System.err); // standard output carries the protocol; every log line goes to stderr
        }
        var context = new SpringApplicationBuilder(VoracleLite.class)
                .web(stdio ? WebApplicationType.NONE : WebApplicationType.SERVLET)
                .properties(Map.of("spring.main.banner-mode", "off"))
                .run(Arrays.stream(args).filter(a -> !a.equals("--stdio")).toArray(String[]::new));
        if (stdio) {
            var transport = new StdioServerTransportProvider(JSON, System.in, protocol);
            server(McpServer.sync(transport), context.getBean(NotesTools.class));
        }
    }

    static McpSyncServer server(McpServer.SyncSpecification<?> spec, NotesTools tools) {
        // each call is answered on the thread that read it: the SDK's stdio transport loses answers written at once
        return spec.jsonMapper(JSON).serverInfo("voracle-lite", "0.1.0").immediateExecution(true)
                .instructions("Search the owner's notes (an Obsidian vault) by words or meaning; read a note by its path.")
                .tools(tools.specifications()).build();
    }

    @Bean(destroyMethod = "close")
    NotesIndex notesIndex(@Value("${vault}") Path vault) throws IOException {
        var index = new NotesIndex(vault, new AllMiniLmL6V2QuantizedEmbeddingModel());
        index.refresh();
        return index;
    }

    @Bean
    NotesTools notesTools(NotesIndex index) {
        return new NotesTools(index);
    }

    /** Over HTTP only: the streamable transport, its servlet and, where a token is set, the check for it. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    static class OverHttp {
        @Bean
        HttpServletStreamableServerTransportProvider transport() {
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
        McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, NotesTools tools) {
            return server(McpServer.sync(transport), tools);
        }

        @Bean
        FilterRegistrationBean<BearerToken> bearerToken() {
            var registration = new FilterRegistrationBean<>(new BearerToken(System.getenv("VORACLE_LITE_TOKEN")));
            registration.addUrlPatterns("/*");
            return registration;
        }
    }
}
