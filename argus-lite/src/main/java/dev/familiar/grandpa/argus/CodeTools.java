package dev.familiar.grandpa.argus;

import dev.familiar.grandpa.serving.ServedTools;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The tools: {@code search} (the definitions a question or the symbols it names point at, each with where
 * it is used), {@code definition} and {@code references} of one symbol. Each answer is a text block whose
 * first line says what and where. All of them only read.
 */
final class CodeTools implements ServedTools {
    private static final int MOST = 30;
    private static final int USES_SHOWN = 5;
    private final Map<String, CodeIndex> repositories;

    CodeTools(List<CodeIndex> repositories) {
        this.repositories = new LinkedHashMap<>();
        repositories.forEach(r -> this.repositories.put(r.name(), r));
    }

    @Override
    public String name() {
        return "argus-lite";
    }

    @Override
    public String instructions() {
        return "Definitions and references of code symbols in the owner's repositories (Java, Python, TypeScript, Go).";
    }

    @Override
    public List<SyncToolSpecification> specifications() {
        var readOnly = new McpSchema.ToolAnnotations(null, true, false, true, false, null);
        Map<String, Object> repository = Map.of("type", "string", "description", "which repository ("
                + String.join(", ", repositories.keySet()) + "); none: all of them");
        return List.of(
                tool("search", "The definitions a question is about (its words, the symbols it names), best first, "
                        + "each with its signature, first lines and where it is used", Map.of(
                        "query", Map.of("type", "string"), "symbols", Map.of("type", "string",
                                "description", "names to look up first, separated by commas"),
                        "repository", repository, "limit", Map.of("type", "integer", "minimum", 1, "maximum", MOST)),
                        List.of("query"), readOnly, this::search),
                tool("definition", "Where a symbol (allow, or RateLimiter.allow) is defined, with its text",
                        Map.of("symbol", Map.of("type", "string"), "repository", repository), List.of("symbol"), readOnly,
                        args -> answer(args, (index, symbol) -> index.definitions(symbol).stream().map(d -> render(index, d))
                                .toList())),
                tool("references", "Where a symbol is used: file, line and the line's text",
                        Map.of("symbol", Map.of("type", "string"), "repository", repository), List.of("symbol"), readOnly,
                        args -> answer(args, (index, symbol) -> index.references(symbol).stream().limit(200)
                                .map(r -> r.path() + ":" + r.line() + (r.within() == null ? "" : " in " + r.within())
                                        + "\n" + r.text()).toList())));
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
                                              List<String> required, McpSchema.ToolAnnotations annotations,
                                              Function<Map<String, Object>, McpSchema.CallToolResult> call) {
        var tool = McpSchema.Tool.builder().name(name).description(description).annotations(annotations)
                .inputSchema(Map.of("type", "object", "properties", properties, "required", required)).build();
        return new SyncToolSpecification(tool, (exchange, request) -> call.apply(request.arguments()));
    }

    McpSchema.CallToolResult search(Map<String, Object> arguments) {
        if (!(arguments.get("query") instanceof String query) || query.isBlank()) {
            return error("search needs a query: what the code is about");
        }
        List<String> symbols = arguments.get("symbols") instanceof String s
                ? Arrays.stream(s.split("[,\\s]+")).filter(n -> !n.isBlank()).toList() : List.of();
        int limit = arguments.get("limit") instanceof Number n ? Math.clamp(n.intValue(), 1, MOST) : 8;
        return within(arguments, index -> index.search(query, symbols, limit).stream().map(d -> render(index, d)).toList());
    }

    private McpSchema.CallToolResult answer(Map<String, Object> arguments,
                                            BiFunction<CodeIndex, String, List<String>> look) {
        if (!(arguments.get("symbol") instanceof String symbol) || symbol.isBlank()) {
            return error("a symbol's name is needed");
        }
        return within(arguments, index -> look.apply(index, symbol.strip()));
    }

    /** The answers of the repository named, or of every repository that has a commit when none is named. */
    private McpSchema.CallToolResult within(Map<String, Object> arguments, Function<CodeIndex, List<String>> look) {
        Object named = arguments.get("repository");
        List<CodeIndex> asked;
        if (named instanceof String n && !n.isBlank()) {
            CodeIndex index = repositories.get(n);
            if (index == null) {
                return error("no repository " + n + "; there are " + repositories.keySet());
            }
            if (index.refresh().isEmpty()) {
                return error("repository " + n + " has no commit to read yet");
            }
            asked = List.of(index);
        } else {
            asked = repositories.values().stream().filter(index -> index.refresh().isPresent()).toList();
        }
        var blocks = new ArrayList<McpSchema.Content>();
        for (CodeIndex index : asked) {
            String prefix = asked.size() > 1 ? index.name() + ": " : "";
            look.apply(index).forEach(text -> blocks.add(new McpSchema.TextContent(prefix + text)));
        }
        return new McpSchema.CallToolResult(blocks, false, null, null);
    }

    /** The definition's kind, name and place, its first lines, and where it is used. */
    private static String render(CodeIndex index, Symbols.Definition d) {
        List<Symbols.Reference> uses = index.references(d.name());
        String used = uses.isEmpty() ? "not used elsewhere"
                : "used " + uses.size() + (uses.size() == 1 ? " time: " : " times: ") + String.join(", ", uses.stream()
                        .map(r -> (r.within() == null ? "" : r.within() + " ") + "(" + r.path() + ":" + r.line() + ")")
                        .distinct().limit(USES_SHOWN).toList()) + (uses.size() > USES_SHOWN ? ", ..." : "");
        return d.kind() + " " + d.qualified() + " (" + d.path() + ":" + d.line() + ")\n" + d.snippet() + "\n" + used;
    }

    private static McpSchema.CallToolResult error(String message) {
        return new McpSchema.CallToolResult(List.<McpSchema.Content>of(new McpSchema.TextContent(message)), true, null, null);
    }
}
