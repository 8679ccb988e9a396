package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ArgumentTemplate;
import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.ContextRole;
import dev.familiar.grandpa.context.McpToolSource;
import dev.familiar.grandpa.context.TokenCounter;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.workspace.sandbox.Confined;
import dev.familiar.grandpa.workspace.sandbox.Limits;
import dev.familiar.grandpa.workspace.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpSseClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStdioClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The MCP connections (Spring AI's client configuration), the roles their tools play, and the packs
 * gathered from them for each task and subtask, counted in grandpa's model's tokens.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({McpStdioClientProperties.class, McpStreamableHttpClientProperties.class,
        McpSseClientProperties.class})
class ContextConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ContextConfiguration.class);

    /** The servers, whose processes stop with the service. */
    @Bean(destroyMethod = "close")
    McpConnections mcpConnections(McpStdioClientProperties stdio, McpStreamableHttpClientProperties streamable,
                                  McpSseClientProperties sse, ContextSettings settings, Repositories repositories,
                                  Workspaces workspaces, Sandbox sandbox, WorkspaceSettings dirs) throws IOException {
        Duration longest = settings.roles().values().stream().map(RoleSettings::timeout).max(Comparator.naturalOrder())
                .orElse(Duration.ofSeconds(10));
        VoracleLiteSettings voracle = settings.voracleLite();
        if (voracle.vault() != null && !Files.isRegularFile(voracle.jar())) {
            log.warn("voracle-lite is to serve the notes in {}, but its jar is not at {} (./mvnw package builds it; "
                    + "grandpa.context.voracle-lite.jar says where): each pack will say the notes role failed",
                    voracle.vault(), voracle.jar().toAbsolutePath());
        }
        ArgusLiteSettings argus = settings.argusLite();
        if (argus.enabled() && !Files.isRegularFile(argus.jar())) {
            log.warn("argus-lite is to serve the repositories' code symbols, but its jar is not at {} (./mvnw package "
                    + "builds it; grandpa.context.argus-lite.jar says where)", argus.jar().toAbsolutePath());
        }
        var shipped = new HashMap<>(voracle.endpoints());
        Confined confined = null;
        if (argus.enabled() && !repositories.all().isEmpty()) {
            Path own = Files.createDirectories(dirs.dir().resolve("argus-lite"));
            // there before the first task fetches into it: bubblewrap will not start with a folder to bind missing
            Path mirrors = Files.createDirectories(dirs.dir().resolve("mirrors"));
            confined = sandbox.open(own, argus.access(mirrors), Limits.DEFAULT);
            shipped.putAll(argus.endpoints(repositories.all(), workspaces, confined.launcher()));
        }
        McpConnections connections = McpConnections.of(stdio, streamable, sse, shipped, settings.bearerTokens(),
                System.getenv(), longest, confined == null ? List.of() : List.of(confined));
        connections.connectInBackground();
        return connections;
    }

    /** grandpa's model's own tokenizer ({@code /tokenize}); the packs say when it could not be asked. */
    @Bean
    TokenCounter contextTokens(ModelSettings model) {
        return ServerTokens.of("grandpa's model", model.baseUrl(), model.key());
    }

    @Bean
    @Qualifier("plan")
    ContextBroker planContext(ContextSettings settings, McpConnections connections, TokenCounter tokens) {
        return new ContextBroker(roles(settings, connections, "plan"), tokens);
    }

    @Bean
    @Qualifier("subtask")
    ContextBroker subtaskContext(ContextSettings settings, McpConnections connections, TokenCounter tokens) {
        return new ContextBroker(roles(settings, connections, "subtask"), tokens);
    }

    @Bean
    TaskContext taskContext(@Qualifier("plan") ContextBroker plan, @Qualifier("subtask") ContextBroker subtask,
                            ContextSettings settings, ContextPackRepository packs, EventJournal events,
                            TransactionTemplate tx, GrandpaModel grandpa) {
        return new TaskContext(plan, subtask, settings, packs, events, tx, new Lookups(plan, settings, grandpa, events));
    }

    private static List<ContextRole> roles(ContextSettings settings, McpConnections connections, String stage) {
        return settings.roles().entrySet().stream().filter(r -> r.getValue().stages().contains(stage)).map(r -> {
            RoleSettings role = r.getValue();
            if (role.server() == null) {
                throw new IllegalArgumentException("context role " + r.getKey() + " names no server; the MCP connections "
                        + "are " + connections.names());
            }
            return new ContextRole(r.getKey(), new McpToolSource(connections.named(role.server()), role.tool()),
                    new ArgumentTemplate(role.arguments()), role.timeout(), role.maxTokens());
        }).toList();
    }
}
