package dev.familiar.grandpa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP over stdio in front of the service's MCP endpoint (streamable HTTP): each message read from standard
 * input is posted to {@code /mcp}, and every message the answer carries (one JSON body, or a stream of
 * server-sent events with the progress of a long call before its result) is written to standard output,
 * one a line. {@code initialize} is passed on first and alone, for the session the others belong to;
 * the rest run side by side, so a long {@code wait_for_task} holds back no other call. At the end of
 * standard input the session is ended. grandpa sends its client no requests of its own (no sampling, no
 * elicitation), so the bridge opens no stream for them.
 */
final class McpBridge {
    static final String ENDPOINT = "/mcp";

    private final ApiClient api;
    private final PrintWriter out;
    private final PrintWriter err;
    private volatile String session;
    private volatile String protocolVersion;

    McpBridge(ApiClient api, PrintWriter out, PrintWriter err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    void run(InputStream in) throws Exception {
        var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = ApiClient.JSON.readTree(line);
                } catch (RuntimeException e) {
                    write(error(null, -32700, "not JSON: " + e.getMessage()));
                    continue;
                }
                if ("initialize".equals(message.path("method").asString(null))) {
                    pass(message);
                } else {
                    calls.submit(() -> pass(message));
                }
            }
        } finally {
            calls.shutdownNow(); // the client went away: what it still waited for is of no use to anyone
            if (session != null) {
                api.deleteQuietly(ENDPOINT, headers());
            }
        }
    }

    /** Posts one message and writes what comes back; a refusal of a request is answered as its error. */
    private void pass(JsonNode message) {
        JsonNode id = message.get("id");
        try {
            try (var answer = api.postStreaming(ENDPOINT, ApiClient.JSON.writeValueAsString(message), headers())) {
                if (answer.status() >= 300) {
                    String detail = answer.text().replaceAll("\\s+", " ").strip();
                    answerFailure(id, "grandpa answered " + answer.status() + (detail.isEmpty() ? "" : ": " + detail));
                    return;
                }
                if (answer.session() != null) {
                    session = answer.session();
                }
                boolean events = answer.contentType().startsWith("text/event-stream");
                var data = new StringBuilder();
                for (String line; (line = answer.body().readLine()) != null; ) {
                    if (!events) {
                        data.append(line);
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        forward(data.toString());
                        data.setLength(0);
                    }
                }
                if (!data.isEmpty()) {
                    forward(data.toString());
                }
            }
        } catch (ApiException e) {
            answerFailure(id, e.getMessage());
        } catch (IOException | RuntimeException e) {
            answerFailure(id, "passing the message to grandpa failed: " + e.getMessage());
        }
    }

    private void forward(String json) {
        JsonNode message = ApiClient.JSON.readTree(json);
        if (message.path("result").hasNonNull("protocolVersion")) {
            protocolVersion = message.path("result").path("protocolVersion").asString();
        }
        write(message);
    }

    private void answerFailure(JsonNode id, String why) {
        if (id == null) {
            err.println("grandpa mcp: " + why); // a notification: nobody waits for an answer
            err.flush();
        } else {
            write(error(id, -32603, why));
        }
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode answer = ApiClient.JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    private synchronized void write(JsonNode message) {
        out.println(ApiClient.JSON.writeValueAsString(message)); // compact: one message, one line
        out.flush();
    }

    private Map<String, String> headers() {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Accept", "application/json, text/event-stream");
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
        }
        if (protocolVersion != null) {
            headers.put("MCP-Protocol-Version", protocolVersion);
        }
        return headers;
    }
}
