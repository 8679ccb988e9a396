package dev.familiar.grandpa.voracle;

import dev.familiar.grandpa.serving.ServedTools;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The two tools: {@code search} (the notes that match a query, each a text block whose first line says
 * which note it is) and {@code read_note} (a whole note by its path in the vault). Both only read.
 */
final class NotesTools implements ServedTools {
    private static final int MOST = 20;
    private final NotesIndex index;

    NotesTools(NotesIndex index) {
        this.index = index;
    }

    @Override
    public String name() {
        return "voracle-lite";
    }

    @Override
    public String instructions() {
        return "Search the owner's notes (an Obsidian vault) by words or meaning; read a note by its path.";
    }

    @Override
    public List<SyncToolSpecification> specifications() {
        var readOnly = new McpSchema.ToolAnnotations(null, true, false, true, false, null);
        var search = McpSchema.Tool.builder().name("search").annotations(readOnly)
                .description("Notes of the vault that match the query by words or by meaning, best first; each answer's "
                        + "first line is the note's title, path and tags, then its best-matching section and its links")
                .inputSchema(Map.of("type", "object", "properties", Map.of(
                        "query", Map.of("type", "string", "description", "what to look for, in words"),
                        "limit", Map.of("type", "integer", "minimum", 1, "maximum", MOST, "default", 5),
                        "tag", Map.of("type", "string", "description", "only notes with this tag")),
                        "required", List.of("query")))
                .build();
        var read = McpSchema.Tool.builder().name("read_note").annotations(readOnly)
                .description("A whole note by its path in the vault, as search gives it")
                .inputSchema(Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string")),
                        "required", List.of("path")))
                .build();
        return List.of(new SyncToolSpecification(search, (exchange, request) -> search(request.arguments())),
                new SyncToolSpecification(read, (exchange, request) -> read(request.arguments())));
    }

    McpSchema.CallToolResult search(Map<String, Object> arguments) {
        Object query = arguments.get("query");
        if (!(query instanceof String text) || text.isBlank()) {
            return error("search needs a query: the words to look for");
        }
        int limit = arguments.get("limit") instanceof Number n ? Math.clamp(n.intValue(), 1, MOST) : 5;
        try {
            List<McpSchema.Content> blocks = index.search(text, limit, (String) arguments.get("tag")).stream()
                    .<McpSchema.Content>map(hit -> new McpSchema.TextContent(render(hit))).toList();
            return new McpSchema.CallToolResult(blocks, false, null, null);
        } catch (IOException e) {
            return error("the vault could not be read: " + e.getMessage());
        }
    }

    McpSchema.CallToolResult read(Map<String, Object> arguments) {
        if (!(arguments.get("path") instanceof String path)) {
            return error("read_note needs the note's path in the vault");
        }
        return index.read(path).map(note -> new McpSchema.CallToolResult(List.<McpSchema.Content>of(
                        new McpSchema.TextContent(note.reference() + "\n" + whole(note))), false, null, null))
                .orElseGet(() -> error("no note at " + path + " in the vault"));
    }

    static String render(NotesIndex.Hit hit) {
        Note note = hit.note();
        String heading = hit.section().heading();
        return note.reference() + "\n" + (heading.isEmpty() || heading.equals(note.title()) ? "" : "## " + heading + "\n")
                + hit.section().text() + (note.links().isEmpty() ? "" : "\nLinks: [[" + String.join("]], [[", note.links()) + "]]");
    }

    private static String whole(Note note) {
        var text = new StringBuilder();
        String heading = null;
        for (Note.Section section : note.sections()) {
            if (!section.heading().isEmpty() && !section.heading().equals(heading)) {
                text.append("## ").append(section.heading()).append('\n');
            }
            heading = section.heading();
            text.append(section.text()).append("\n\n");
        }
        return text.toString().strip();
    }

    private static McpSchema.CallToolResult error(String message) {
        return new McpSchema.CallToolResult(List.<McpSchema.Content>of(new McpSchema.TextContent(message)), true, null, null);
    }
}
