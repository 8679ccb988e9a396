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
 * grandpa as an MCP server: tools to submit a task, list tasks, look at one (at a glance, or in detail),
 * wait for it (with progress notifications), cancel or resume it, list the coder backends and get a
 * task's diff, each annotated with what it does to the world and, where its answer has a shape, an
 * output schema with structured content; a task's plan and result
 * as resources ({@code grandpa://tasks/{id}/plan}, {@code grandpa://tasks/{id}/result}). The same
 * definitions serve {@code /mcp} in the service and {@code grandpa mcp} over stdio.
 */
final class McpTools {
    static final int DEFAULT_WAIT_SECONDS = 600;
    static final int MAX_WAIT_SECONDS = 3600;
    private static final Pattern TASK_URI = Pattern.compile("grandpa://tasks/([0-9a-fA-F-]{36})/(plan|result)");

    private final TaskOperations operations;
    private final McpJsonMapper json;

    McpTools(TaskOperations operations, McpJsonMapper json) {
        this.operations = operations;
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

    /** What a tool does to the world, for clients that ask before calling (MCP's tool annotations). */
    private enum Effect {
        READS(true, false, true), CHANGES(false, false, false), STOPS(false, true, true);

        final McpSchema.ToolAnnotations annotations;

        Effect(boolean readOnly, boolean destructive, boolean idempotent) {
            this.annotations = new McpSchema.ToolAnnotations(null, readOnly, destructive, idempotent, false, null);
        }
    }

    public List<SyncToolSpecification> tools() {
        return List.of(
                tool("submit_task", Effect.CHANGES, "Hands grandpa a task: its goal, and optionally a title, a configured "
                        + "repository to work in, labels, a priority (0-10) and the repository check the whole change must "
                        + "pass. Answers the task's id and status at once; wait_for_task follows it. Needs an OPERATOR token.",
                        """
                        {"type":"object","properties":{
                          "goal":{"type":"string","description":"what should be done"},
                          "title":{"type":"string"},"repo":{"type":"string"},
                          "labels":{"type":"array","items":{"type":"string"}},
                          "priority":{"type":"integer","minimum":0,"maximum":10},
                          "acceptance_check":{"type":"string"}},
                         "required":["goal"]}""", SUMMARY_SCHEMA, (exchange, request, args) -> operations.submit(text(args, "goal"),
                        text(args, "title"), text(args, "repo"), labels(args),
                        args.get("priority") instanceof Number n ? n.intValue() : null, text(args, "acceptance_check"))),
                tool("list_tasks", Effect.READS, "Lists tasks, newest first: all, or those of the statuses asked for "
                        + "(QUEUED, PLANNING, RUNNING, INTEGRATING, WAITING, BLOCKED, DONE, CANCELLED), a page at a time. "
                        + "A BLOCKED task needs a person: resume_task with what it needs.", """
                        {"type":"object","properties":{
                          "status":{"type":"array","items":{"type":"string"}},
                          "page":{"type":"integer","minimum":0},"size":{"type":"integer","minimum":1,"maximum":200}}}""",
                        LIST_SCHEMA, (exchange, request, args) -> operations.list(strings(args, "status"),
                                args.get("page") instanceof Number n ? n.intValue() : 0,
                                args.get("size") instanceof Number n ? n.intValue() : 20)),
                tool("get_task", Effect.READS, "A task at a glance: status and why, its live plan, how its attempts went, "
                        + "its branch and result. With detail true: everything (plan versions, attempts with routing "
                        + "reasons and timings, verdicts, recoveries, checks).", """
                        {"type":"object","properties":{
                          "task_id":{"type":"string","description":"the task's id (a UUID)"},
                          "detail":{"type":"boolean"}},
                         "required":["task_id"]}""", null, (exchange, request, args) -> Boolean.TRUE.equals(args.get("detail"))
                        ? operations.task(id(args)) : TaskDigest.of(operations.task(id(args)))),
                tool("wait_for_task", Effect.READS, "Waits until a task is done, cancelled or blocked (a blocked one needs "
                        + "a person), or for timeout_seconds (default 600, at most 3600), sending progress notifications as "
                        + "it moves; answers the task at a glance as it is then.", """
                        {"type":"object","properties":{
                          "task_id":{"type":"string","description":"the task's id (a UUID)"},
                          "timeout_seconds":{"type":"integer","minimum":1,"maximum":3600}},
                         "required":["task_id"]}""", TaskDigest.SCHEMA,
                        (exchange, request, args) -> TaskDigest.of(waitFor(exchange, request, args))),
                tool("cancel_task", Effect.STOPS, "Cancels a task: its calls in progress are cut off and nothing new starts. "
                        + "Needs an OPERATOR token.", ID_SCHEMA, SUMMARY_SCHEMA, (exchange, request, args) -> operations.cancel(id(args))),
                tool("resume_task", Effect.CHANGES, "Resumes a BLOCKED task, with a note saying what changed or what it "
                        + "should do now; the recovery ladder starts again. Needs an OPERATOR token.", """
                        {"type":"object","properties":{
                          "task_id":{"type":"string","description":"the task's id (a UUID)"},
                          "note":{"type":"string","description":"what changed, or what grandpa should do now"}},
                         "required":["task_id"]}""", SUMMARY_SCHEMA,
                        (exchange, request, args) -> operations.resume(id(args), text(args, "note"))),
                tool("list_backends", Effect.READS, "The coder backends: kind, capabilities, slots, health, circuit, calls "
                        + "in flight, success per capability.", "{\"type\":\"object\",\"properties\":{}}", """
                        {"type":"object","properties":{"backends":{"type":"array"}},"required":["backends"]}""",
                        (exchange, request, args) -> tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .set("backends", operations.backends())),
                textTool("task_diff", "The unified diff of a task's branch: everything its accepted changes did (tasks in a "
                        + "repository).", ID_SCHEMA, args -> operations.diff(id(args))));
    }

    private static final String SUMMARY_SCHEMA = """
            {"type":"object","properties":{"id":{"type":"string"},"status":{"type":"string"}},"required":["id","status"]}""";
    private static final String LIST_SCHEMA = """
            {"type":"object","properties":{"items":{"type":"array"},"page":{"type":"integer"},"size":{"type":"integer"},
             "total":{"type":"integer"}},"required":["items"]}""";

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

    /** @param output the JSON schema of its structured answer, or null where the answer has no fixed shape */
    private SyncToolSpecification tool(String name, Effect effect, String description, String schema, String output,
                                       Call call) {
        var tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema)
                .annotations(effect.annotations);
        if (output != null) {
            tool.outputSchema(json, output);
        }
        return SyncToolSpecification.builder()
                .tool(tool.build())
                .callHandler((exchange, request) -> {
                    try {
                        JsonNode answer = call.call(exchange, request,
                                request.arguments() == null ? Map.of() : request.arguments());
                        var result = CallToolResult.builder().addTextContent(answer.toPrettyString()).isError(false);
                        if (answer.isObject()) {
                            result.structuredContent(json, answer.toString());
                        }
                        return result.build();
                    } catch (Exception e) {
                        return failed(e);
                    }
                })
                .build();
    }

    private SyncToolSpecification textTool(String name, String description, String schema,
                                           Function<Map<String, Object>, String> call) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema)
                        .annotations(Effect.READS.annotations).build())
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

    /** A tool that failed tells the model why in plain words, as MCP asks (an error result, not a protocol error). */
    private static CallToolResult failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String why = e instanceof org.springframework.web.ErrorResponse refused && refused.getBody().getDetail() != null
                ? refused.getBody().getDetail()
                : e.getMessage() == null ? "it failed (" + e.getClass().getSimpleName() + ")" : e.getMessage();
        return CallToolResult.builder().addTextContent(why).isError(true).build();
    }

    private JsonNode waitFor(McpSyncServerExchange exchange, CallToolRequest request, Map<String, Object> args)
            throws InterruptedException {
        int seconds = args.get("timeout_seconds") instanceof Number n ? n.intValue() : DEFAULT_WAIT_SECONDS;
        if (seconds < 1 || seconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("timeout_seconds is 1 to " + MAX_WAIT_SECONDS + ", not " + seconds);
        }
        Object token = request.progressToken();
        var steps = new AtomicInteger();
        return operations.waitFor(id(args), Duration.ofSeconds(seconds), line -> {
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
            JsonNode task = operations.task(UUID.fromString(m.group(1)));
            String text = part.equals("plan") ? TaskDigest.plan(task).toPrettyString() : task.path("result").asString("");
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(request.uri(), mime, text)));
        });
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
        return strings(args, "labels");
    }

    private static List<String> strings(Map<String, Object> args, String name) {
        var strings = new ArrayList<String>();
        if (args.get(name) instanceof List<?> list) {
            list.forEach(l -> strings.add(String.valueOf(l)));
        } else if (args.get(name) instanceof String one) {
            strings.add(one);
        }
        return strings;
    }
}
