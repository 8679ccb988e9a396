package dev.familiar.grandpa.context;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real MCP server over stdio for the tests, standing in for argus or voracle: one tool, {@code search},
 * answering with the fixture entries that mention a word of the query, each as a text block whose
 * first line is its reference; {@code environment} answers with the names of its environment variables.
 * Arguments: {@code <fixture: symbols|notes|environment> [delay-ms]}.
 */
public final class FixtureMcpServer {
    static final Map<String, List<String>> FIXTURES = Map.of(
            "symbols", List.of(
                    "RateLimiter (billing/src/main/java/billing/RateLimiter.java)\nclass RateLimiter { boolean allow(String client) }",
                    "Invoice (billing/src/main/java/billing/Invoice.java)\nrecord Invoice(String id, long cents)",
                    "HealthController (billing/src/main/java/billing/HealthController.java)\n@GetMapping(\"/healthz\") String health()"),
            "notes", List.of(
                    "Rate limits in the homelab\nClients get 429 after 100 requests a minute; the limit lives in RateLimiter.",
                    "Billing service runbook\nRestart with systemctl restart billing; health is /healthz.",
                    "Duplicate of the symbol\nclass RateLimiter { boolean allow(String client) }",
                    "Testing conventions\nWrite the tests with JUnit 6; every change comes with a test."));

    public static void main(String[] args) {
        var protocol = System.out; // stdout carries the protocol; anything logged goes to stderr
        System.setOut(System.err);
        List<String> entries = args[0].equals("environment")
                ? List.of("environment\n" + String.join(" ", new java.util.TreeSet<>(System.getenv().keySet())))
                : FIXTURES.get(args[0]);
        long delayMs = args.length > 1 ? Long.parseLong(args[1]) : 0;
        var tool = McpSchema.Tool.builder().name("search").description("Entries that mention a word of the query")
                .inputSchema(Map.of("type", "object", "properties", Map.of("query", Map.of("type", "string")),
                        "required", List.of("query")))
                .build();
        var search = new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) -> {
            sleep(delayMs);
            var words = String.valueOf(request.arguments().get("query")).toLowerCase(Locale.ROOT).split("\\W+");
            var found = new ArrayList<McpSchema.Content>();
            if (args[0].equals("environment")) {
                return new McpSchema.CallToolResult(entries.stream().<McpSchema.Content>map(McpSchema.TextContent::new)
                        .toList(), false, null, null);
            }
            for (String entry : entries) {
                for (String word : words) {
                    if (word.length() > 3 && entry.toLowerCase(Locale.ROOT).contains(word)) {
                        found.add(new McpSchema.TextContent(entry));
                        break;
                    }
                }
            }
            return new McpSchema.CallToolResult(found, false, null, null);
        });
        McpServer.sync(new StdioServerTransportProvider(new JacksonMcpJsonMapper(JsonMapper.builder().build()), System.in,
                        protocol))
                .serverInfo("fixture-" + args[0], "1.0").tools(search).build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
