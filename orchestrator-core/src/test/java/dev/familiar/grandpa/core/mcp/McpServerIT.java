package dev.familiar.grandpa.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import dev.familiar.grandpa.testkit.standin.Reply;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa as an MCP server with two clients we did not write, over both transports: the MCP Java SDK's
 * client and the TypeScript SDK's client (from npm, run by node), each over streamable HTTP at
 * {@code /mcp} and over stdio ({@code grandpa mcp}, the built jar as a process): tools listed, a task
 * submitted and waited for with progress notifications, its plan read as a resource. The models are
 * stand-ins (over HTTP).
 */
class McpServerIT {
    static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    /** The command-line client's jar, whose {@code mcp} command is the stdio server. */
    static final Path JAR = Path.of("..", "cli", "target", "grandpa-cli.jar").toAbsolutePath().normalize();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    static Models models;
    static Grandpa service;

    @BeforeAll
    static void start() {
        models = new Models("coder-a");
        models.coder("coder-a").respondWith(call -> Reply.text("// done by the stand-in coder\n").after(Duration.ofMillis(300)));
        var p = Grandpa.defaults(TestPostgres.newDatabase());
        p.putAll(models.properties(2, Duration.ofSeconds(30)));
        service = Grandpa.start(p);
    }

    @AfterAll
    static void stop() {
        service.close();
        models.close();
    }

    @Test
    void theJavaSdkClientOverStreamableHttp() {
        var transport = HttpClientStreamableHttpTransport.builder(service.url(""))
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + Grandpa.OPERATOR))
                .jsonMapper(JSON)
                .build();
        submitAndWait(transport, "over streamable HTTP");
    }

    @Test
    void theJavaSdkClientOverStdio() {
        var parameters = ServerParameters.builder(JAVA).args("-jar", JAR.toString(), "mcp", "--url", service.url(""))
                .addEnvVar("GRANDPA_TOKEN", Grandpa.OPERATOR).build();
        submitAndWait(new StdioClientTransport(parameters, JSON), "over stdio");
    }

    private static void submitAndWait(McpClientTransport transport, String how) {
        var progress = new CopyOnWriteArrayList<McpSchema.ProgressNotification>();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(3))
                .progressConsumer(progress::add).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder(
                    "submit_task", "list_tasks", "get_task", "wait_for_task", "cancel_task", "resume_task", "list_backends",
                    "task_diff");
            var submitted = client.callTool(new McpSchema.CallToolRequest("submit_task", Map.of("goal", "Add a /healthz endpoint " + how)));
            assertThat(submitted.isError()).isFalse();
            String id = read(submitted).path("id").asString();

            var waited = client.callTool(McpSchema.CallToolRequest.builder().name("wait_for_task")
                    .arguments(Map.of("task_id", id, "timeout_seconds", 120)).progressToken("wait-" + id).build());
            assertThat(read(waited).path("status").asString()).isEqualTo("DONE");
            assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("wait-" + id));
            assertThat(progress).extracting(McpSchema.ProgressNotification::message)
                    .anySatisfy(m -> assertThat(m).contains("plan v1: 3 subtasks"))
                    .anySatisfy(m -> assertThat(m).contains("accepted (coder-a)"));

            var plan = client.readResource(new McpSchema.ReadResourceRequest("grandpa://tasks/" + id + "/plan"));
            String planText = ((McpSchema.TextResourceContents) plan.contents().getFirst()).text();
            assertThat(planText).contains("\"status\" : \"ACCEPTED\"", "\"capability\"");
            var result = client.readResource(new McpSchema.ReadResourceRequest("grandpa://tasks/" + id + "/result"));
            assertThat(((McpSchema.TextResourceContents) result.contents().getFirst()).text())
                    .isEqualTo(service.task(java.util.UUID.fromString(id)).path("result").asString());

            var backends = client.callTool(new McpSchema.CallToolRequest("list_backends", Map.of()));
            assertThat(text(backends)).contains("coder-a");
            var noDiff = client.callTool(new McpSchema.CallToolRequest("task_diff", Map.of("task_id", id)));
            assertThat(noDiff.isError()).isTrue();
            assertThat(text(noDiff)).contains("no branch").doesNotContain("ProblemDetail", "Exception");
            var notBlocked = client.callTool(new McpSchema.CallToolRequest("resume_task", Map.of("task_id", id, "note", "go on")));
            assertThat(notBlocked.isError()).isTrue();
            assertThat(text(notBlocked)).contains("only a BLOCKED task can be resumed").doesNotContain("ProblemDetail");
            var listed = client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of("status", List.of("DONE"))));
            assertThat(read(listed).path("items").toString()).contains(id);
            assertThat(listed.structuredContent()).isNotNull();
            var glance = client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("task_id", id)));
            assertThat(text(glance).length()).as("at a glance").isLessThan(3_000);
            assertThat(read(glance).path("plan").path("subtasks")).hasSize(3);
            var detail = client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("task_id", id, "detail", true)));
            assertThat(read(detail).path("attempts").isArray()).isTrue();
            var badId = client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("task_id", "nope")));
            assertThat(badId.isError()).isTrue();
            assertThat(text(badId)).contains("not a task id");
        }
    }

    @Test
    void theTypeScriptSdkClientOverBothTransports() throws Exception {
        for (String how : List.of("http", "stdio")) {
            Process node = new ProcessBuilder("node", "mcp-client.mjs", how, service.url(""), Grandpa.OPERATOR,
                    "Write a changelog (" + how + ")", JAVA, JAR.toString())
                    .directory(Path.of("src/test/node").toFile()).redirectErrorStream(true).start();
            assertThat(node.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(out).isZero();
            JsonNode result = Grandpa.JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            assertThat(result.path("tools").toString()).contains("submit_task", "wait_for_task", "task_diff");
            assertThat(result.path("status").asString()).as(how).isEqualTo("DONE");
            assertThat(result.path("progress").toString()).as(how).contains("plan v1: 3 subtasks");
            assertThat(result.path("plan").path("subtasks")).hasSize(3);
            assertThat(result.path("missing").path("isError").asBoolean()).isTrue();
        }
    }

    @Test
    void aViewerListsAndReadsAndOnlyAnOperatorChangesWorkEachToolSaysWhichItDoes() {
        var transport = HttpClientStreamableHttpTransport.builder(service.url(""))
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + Grandpa.VIEWER))
                .jsonMapper(JSON)
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(1)).build()) {
            client.initialize();
            var tools = new java.util.HashMap<String, McpSchema.Tool>();
            client.listTools().tools().forEach(t -> tools.put(t.name(), t));
            assertThat(tools.values()).allSatisfy(t -> assertThat(t.annotations()).as(t.name()).isNotNull());
            assertThat(tools.get("get_task").annotations().readOnlyHint()).isTrue();
            assertThat(tools.get("list_tasks").annotations().readOnlyHint()).isTrue();
            assertThat(tools.get("submit_task").annotations().readOnlyHint()).isFalse();
            assertThat(tools.get("cancel_task").annotations().destructiveHint()).isTrue();
            assertThat(tools.get("list_tasks").outputSchema()).isNotNull();

            assertThat(client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())).isError()).isFalse();
            assertThat(client.callTool(new McpSchema.CallToolRequest("list_backends", Map.of())).isError()).isFalse();
            var submit = client.callTool(new McpSchema.CallToolRequest("submit_task", Map.of("goal", "Not from a viewer")));
            assertThat(submit.isError()).isTrue();
            assertThat(text(submit)).contains("need an OPERATOR token");
            var badStatus = client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of("status", List.of("SLEEPING"))));
            assertThat(badStatus.isError()).isTrue();
            assertThat(text(badStatus)).contains("'SLEEPING' is not a task status");
        }
        assertThat(service.get("/api/tasks").text()).doesNotContain("Not from a viewer");
    }

    @Test
    void theEndpointNeedsAToken() {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        var anonymous = Grandpa.send(HttpRequest.newBuilder(URI.create(service.url("/mcp")))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize)).build());
        assertThat(anonymous.status()).isEqualTo(401);
        var viewer = service.post("/mcp", initialize, Map.of("Authorization", "Bearer " + Grandpa.VIEWER,
                "Accept", "application/json, text/event-stream"));
        assertThat(viewer.status()).isEqualTo(200); // a viewer lists and reads; its tools say what it may not
    }

    private static JsonNode read(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return Grandpa.JSON.readTree(text(result));
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }
}
