package dev.familiar.grandpa.context;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A context source that is one tool of an MCP server: each text block of the tool's answer is one item,
 * its first line the reference and the rest the text.
 */
public record McpToolSource(McpConnection connection, String tool) implements ContextSource {

    @Override
    public String describe() {
        return connection.name() + "'s " + tool;
    }

    @Override
    public String description() {
        try {
            return connection.tools().stream().filter(t -> t.name().equals(tool)).findFirst()
                    .map(t -> t.description() == null ? "" : t.description()).orElse("");
        } catch (RuntimeException e) {
            return ""; // the server is away: the tool is offered by its role's name alone
        }
    }

    @Override
    public List<ContextItem> find(String role, Map<String, Object> arguments) {
        var items = new ArrayList<ContextItem>();
        for (McpSchema.Content content : connection.call(tool, arguments)) {
            if (content instanceof McpSchema.TextContent text && !text.text().isBlank()) {
                String[] lines = text.text().strip().split("\n", 2);
                items.add(new ContextItem(role, items.size(), lines[0].strip(), lines.length > 1 ? lines[1] : ""));
            }
        }
        return items;
    }
}
