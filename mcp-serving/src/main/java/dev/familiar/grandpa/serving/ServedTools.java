package dev.familiar.grandpa.serving;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;

/** What one of grandpa's MCP servers serves: the bean {@link McpServing} makes a server of. */
public interface ServedTools {
    /** The server's name, as clients see it ({@code voracle-lite}); {@code NAME_TOKEN} holds its bearer token. */
    String name();

    /** What the server is for, in a sentence for the client's model. */
    String instructions();

    List<SyncToolSpecification> specifications();
}
