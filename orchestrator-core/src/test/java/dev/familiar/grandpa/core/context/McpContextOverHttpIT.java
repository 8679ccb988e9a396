package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.Models;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * grandpa's MCP client reaching a server where it runs, over streamable HTTP: the MCP project's
 * reference "everything" server (from npm, run by node) gives a task's context through its echo tool;
 * killed mid-run, the next task's pack says the source was left out; started again on the same port,
 * the task after that has it again. The same server in its older SSE mode is reached over SSE.
 */
class McpContextOverHttpIT {
    static final Path SERVER = Path.of("src/test/node/node_modules/@modelcontextprotocol/server-everything/dist/index.js");

    @Test
    void aContextSourceOverHttpComesBackAfterItsServerRestarts() throws Exception {
        int port = freePort();
        Process everything = start(port, "streamableHttp");
        try (var models = new Models("coder-a")) {
            try (var grandpa = Grandpa.start(withEverything(models, "http://127.0.0.1:" + port + "/mcp", false))) {
                JsonNode first = pack(grandpa, "Add a /healthz endpoint");
                assertThat(first.path("items").toString()).contains("\"source\":\"echo\"", "Echo:", "healthz");

                everything.destroy();
                assertThat(everything.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10),
                        java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
                JsonNode away = pack(grandpa, "Add a /readyz endpoint");
                assertThat(away.path("items").toString()).doesNotContain("Echo:");
                assertThat(away.path("problems").toString()).contains("echo");

                everything = start(port, "streamableHttp");
                JsonNode back = pack(grandpa, "Add a /livez endpoint");
                assertThat(back.path("items").toString()).contains("\"source\":\"echo\"", "Echo:", "livez");
            }
        } finally {
            everything.destroyForcibly();
        }
    }

    @Test
    void anOlderServerIsReachedOverServerSentEvents() throws Exception {
        int port = freePort();
        Process everything = start(port, "sse");
        try (var models = new Models("coder-a")) {
            try (var grandpa = Grandpa.start(withEverything(models, "http://127.0.0.1:" + port + "/sse", true))) {
                assertThat(pack(grandpa, "Add a /healthz endpoint").path("items").toString())
                        .contains("\"source\":\"echo\"", "Echo:", "healthz");
            }
        } finally {
            everything.destroyForcibly();
        }
    }

    /** A service whose one context source is the everything server's echo tool at this URL. */
    private static Map<String, Object> withEverything(Models models, String url, boolean sse) {
        var p = Grandpa.defaults(TestPostgres.newDatabase());
        p.putAll(models.properties(2, Duration.ofSeconds(10)));
        String base = url.substring(0, url.lastIndexOf('/'));
        String path = url.substring(url.lastIndexOf('/'));
        p.put("spring.ai.mcp.client." + (sse ? "sse" : "streamable-http") + ".connections.everything.url", base);
        p.put("spring.ai.mcp.client." + (sse ? "sse" : "streamable-http") + ".connections.everything."
                + (sse ? "sse-endpoint" : "endpoint"), path);
        p.put("grandpa.context.roles.echo.server", "everything");
        p.put("grandpa.context.roles.echo.tool", "echo");
        p.put("grandpa.context.roles.echo.arguments.message", "{query}");
        p.put("grandpa.context.roles.echo.stages", "plan");
        p.put("grandpa.context.roles.echo.timeout", "5s");
        return p;
    }

    private static JsonNode pack(Grandpa grandpa, String goal) {
        UUID id = grandpa.submit(goal);
        return grandpa.awaitStatus(id, Duration.ofSeconds(60), "DONE").path("contextPack");
    }

    private static Process start(int port, String transport) throws IOException {
        var builder = new ProcessBuilder("node", SERVER.toAbsolutePath().toString(), transport)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> listening(port));
        return process;
    }

    private static boolean listening(int port) {
        try (var socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
