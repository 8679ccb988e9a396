package dev.familiar.grandpa.core.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * grandpa as an MCP server: tools to submit a task, look at it, wait for it (with progress
 * notifications), cancel it, list the coder backends and get a task's diff; a task's plan and result
 * as resources ({@code grandpa://tasks/{id}/plan}, {@code grandpa://tasks/{id}/result}). The same
 * definitions serve {@code /mcp} in the service and {@code grandpa mcp} over stdio.
 */
public final class McpTools {
    static final int DEFAULT_WAIT_SECONDS = 600;
    static final int MAX_WAIT_SECONDS = 3600;
    private static final Pattern TASK_URI = Pattern.compile("grandpa://tasks/([0-9a-fA-F-]{36})/(plan|result)");

    private final TaskDesk desk;
    private final McpJsonMapper json;

    public McpTools(TaskDesk desk, McpJsonMapper json) {
        this.desk = desk;
        this.json = json;
    }

    /** A server with these tools and resources on the given transport. */
    public static McpSyncServer server(McpServer.SyncSpecification<?> spec, McpTools tools) {
        return spec.serverInfo("grandpa", "0.1.0")
                .instructions("grandpa orchestrates coding models: submit_task hands it work (a goal, optionally a "
                        + "configured repository), wait_for_task follows it with progress, get_task and task_diff show "
                        + "what it did.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .tools(tools.tools())
                .resourceTemplates(tools.resources())
                .build();
    }

    public List<SyncToolSpecification> tools() {
        return List.of(
                tool("submit_task", "Hands grandpa a task: its goal, and optionally a title, a configured repository to "
                        + "work in, labels, a priority (0-10) and the repository check the whole change must pass. Answers "
                        + "the task's id and status at once; wait_for_task follows it.", """
                        {"type":"object","properties":{
                          "goal":{"type":"string","description":"what should be done"},
                          "title":{"type":"string"},"repo":{"type":"string"},
                          "labels":{"type":"array","items":{"type":"string"}},
                          "priority":{"type":"integer","minimum":0,"maximum":10},
                          "acceptance_check":{"type":"string"}},
                         "required":["goal"]}""", (exchange, request, args) -> desk.submit(text(args, "goal"), text(args, "title"),
                        text(args, "repo"), labels(args), args.get("priority") instanceof Number n ? n.intValue() : null,
                        text(args, "acceptance_check"))),
                tool("get_task", "Everything about a task: status and why, plan versions, subtasks, attempts (backend, "
                        + "routing reason, timings), verdicts, recoveries, checks, its branch and result.", ID_SCHEMA,
                        (exchange, request, args) -> desk.task(id(args))),
                tool("wait_for_task", "Waits until a task is done, cancelled or blocked (a blocked one needs a person), "
                        + "or for timeout_seconds (default 600, at most 3600), sending progress notifications as it moves; "
                        + "answers the task as it is then.", """
                        {"type":"object","properties":{
                          "task_id":{"type":"string","description":"the task's id (a UUID)"},
                          "timeout_seconds":{"type":"integer","minimum":1,"maximum":3600}},
                         "required":["task_id"]}""", this::waitFor),
                tool("cancel_task", "Cancels a task: its calls in progress are cut off and nothing new starts.", ID_SCHEMA,
                        (exchange, request, args) -> desk.cancel(id(args))),
                tool("list_backends", "The coder backends: kind, capabilities, slots, health, circuit, calls in flight, "
                        + "success rate per capability.", "{\"type\":\"object\",\"properties\":{}}",
                        (exchange, request, args) -> desk.backends()),
                textTool("task_diff", "The unified diff of a task's branch: everything its accepted changes did (tasks in a "
                        + "repository).", ID_SCHEMA, args -> desk.diff(id(args))));
    }

    public List<SyncResourceTemplateSpecification> resources() {
        return List.of(
                resource("plan", "A task's live plan: its subtasks with their status, capability and dependencies.",
                        "application/json"),
                resource("result", "A task's result: the summary and what was delivered, once it is done.", "text/plain"));
    }

    private static final String ID_SCHEMA = """
            {"type":"object","properties":{"task_id":{"type":"string","description":"the task's id (a UUID)"}},
             "required":["task_id"]}""";

    private interface Call {
        JsonNode call(McpSyncServerExchange exchange, CallToolRequest request, Map<String, Object> args) throws Exception;
    }

    private SyncToolSpecification tool(String name, String description, String schema, Call call) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema).build())
                .callHandler((exchange, request) -> {
                    try {
                        JsonNode answer = call.call(exchange, request,
                                request.arguments() == null ? Map.of() : request.arguments());
                        return CallToolResult.builder().addTextContent(answer.toPrettyString()).isError(false).build();
                    } catch (Exception e) {
                        return failed(e);
                    }
                })
                .build();
    }

    private SyncToolSpecification textTool(String name, String description, String schema,
                                           Function<Map<String, Object>, String> call) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema).build())
                .callHandler((exchange, request) -> {
                    try {
                        return CallToolResult.builder().addTextContent(call.apply(
                                request.arguments() == null ? Map.of() : request.arguments())).isError(false).build();
                    } catch (Exception e) {
                        return failed(e);
                    }
                })
                .build();
    }

    /** A tool that failed tells the model why, as MCP asks (an error result, not a protocol error). */
    private static CallToolResult failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return CallToolResult.builder().addTextContent(e.getMessage() == null ? e.toString() : e.getMessage()).isError(true)
                .build();
    }

    private JsonNode waitFor(McpSyncServerExchange exchange, CallToolRequest request, Map<String, Object> args)
            throws InterruptedException {
        int seconds = args.get("timeout_seconds") instanceof Number n ? n.intValue() : DEFAULT_WAIT_SECONDS;
        if (seconds < 1 || seconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("timeout_seconds is 1 to " + MAX_WAIT_SECONDS + ", not " + seconds);
        }
        Object token = request.progressToken();
        var steps = new AtomicInteger();
        return desk.waitFor(id(args), Duration.ofSeconds(seconds), line -> {
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, steps.incrementAndGet(), null, line));
            }
        });
    }

    private SyncResourceTemplateSpecification resource(String part, String description, String mime) {
        var template = McpSchema.ResourceTemplate.builder().uriTemplate("grandpa://tasks/{task_id}/" + part)
                .name("task " + part).description(description).mimeType(mime).build();
        return new SyncResourceTemplateSpecification(template, (exchange, request) -> {
            Matcher m = TASK_URI.matcher(request.uri());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a task resource: " + request.uri());
            }
            JsonNode task = desk.task(UUID.fromString(m.group(1)));
            String text = part.equals("plan") ? plan(task).toPrettyString() : task.path("result").asString("");
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(request.uri(), mime, text)));
        });
    }

    /** The live plan version's subtasks. */
    private static JsonNode plan(JsonNode task) {
        var plan = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        plan.put("task_id", task.path("id").asString());
        plan.put("version", task.path("planVersion").asInt());
        var subtasks = plan.putArray("subtasks");
        for (JsonNode s : task.path("subtasks")) {
            if (s.path("planVersion").asInt() == task.path("planVersion").asInt()) {
                var item = subtasks.addObject();
                for (String field : List.of("key", "title", "status", "capability", "dependsOn", "acceptanceCriteria", "check")) {
                    item.set(field, s.path(field));
                }
            }
        }
        return plan;
    }

    private static UUID id(Map<String, Object> args) {
        String id = text(args, "task_id");
        if (id == null) {
            throw new IllegalArgumentException("task_id is required");
        }
        try {
            return UUID.fromString(id.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task_id '" + id + "' is not a task id (a UUID)");
        }
    }

    private static String text(Map<String, Object> args, String name) {
        return args.get(name) instanceof String s && !s.isBlank() ? s : null;
    }

    private static List<String> labels(Map<String, Object> args) {
        var labels = new ArrayList<String>();
        if (args.get("labels") instanceof List<?> list) {
            list.forEach(l -> labels.add(String.valueOf(l)));
        }
        return labels;
    }
}
