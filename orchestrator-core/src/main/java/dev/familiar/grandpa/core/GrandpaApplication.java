package dev.familiar.grandpa.core;

import dev.familiar.grandpa.core.cli.Console;
import dev.familiar.grandpa.core.cli.ServiceCommands;
import dev.familiar.grandpa.core.cli.ServeCommand;
import org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.McpToolCallbackAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.StdioTransportAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.annotations.McpClientAnnotationScannerAutoConfiguration;
import org.springframework.ai.mcp.client.httpclient.autoconfigure.SseHttpClientTransportAutoConfiguration;
import org.springframework.ai.mcp.client.httpclient.autoconfigure.StreamableHttpHttpClientTransportAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/*
 * Spring AI's MCP client starter connects every configured server once, at start (one that is down stops
 * the service) and never again; grandpa reads the starter's configuration and keeps the connections itself
 * (core.context.McpConnections), so the starter's own clients are not made.
 */
@SpringBootApplication(exclude = {McpClientAutoConfiguration.class, StdioTransportAutoConfiguration.class,
        SseHttpClientTransportAutoConfiguration.class, StreamableHttpHttpClientTransportAutoConfiguration.class,
        McpToolCallbackAutoConfiguration.class, McpClientAnnotationScannerAutoConfiguration.class})
@ConfigurationPropertiesScan
public class GrandpaApplication {
    /**
     * With a command ({@code grandpa restore ...}, see {@link ServiceCommands}) one of the service's
     * tools; with none, or only Spring's {@code --options}, the service.
     */
    public static void main(String[] args) {
        if (!ServiceCommands.handles(args)) {
            serve(args);
            return;
        }
        int code = ServiceCommands.run(args, Console.system(), GrandpaApplication::serve);
        if (code != ServeCommand.SERVING) {
            System.exit(code);
        }
    }

    private static void serve(String[] args) {
        try {
            SpringApplication.run(GrandpaApplication.class, args);
        } catch (RuntimeException e) {
            System.exit(1); // Spring has said why already (its failure analysis, or the log)
        }
    }
}
