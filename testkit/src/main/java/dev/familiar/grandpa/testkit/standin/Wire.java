package dev.familiar.grandpa.testkit.standin;


import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the stand-in server writes and reads on the wire: JSON, its error shape, requests read into chat calls. */
final class Wire {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Wire() {
    }

    static ChatCall toCall(JsonNode request) {
        List<ChatCall.Message> messages = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            messages.add(new ChatCall.Message(m.path("role").asString(), ToolCalls.rendered(m)));
        }
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) { // into the system prompt, as a template renders them
            if (!messages.isEmpty() && messages.getFirst().role().equals("system")) {
                messages.set(0, new ChatCall.Message("system", messages.getFirst().content() + ToolCalls.system(tools)));
            } else {
                messages.addFirst(new ChatCall.Message("system", ToolCalls.system(tools).strip()));
            }
        }
        JsonNode schema = request.path("response_format").path("json_schema").path("name");
        return new ChatCall(request.path("model").asString(null), messages,
                schema.isMissingNode() ? null : schema.asString(), request);
    }

    /** Content is a string or an array of parts ({@code {"type":"text","text":...}}). */
    static String content(JsonNode content) {
        if (!content.isArray()) {
            return content.asString("");
        }
        var text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    static int commonPrefix(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int mismatch = java.util.Arrays.mismatch(a, 0, n, b, 0, n);
        return mismatch < 0 ? n : mismatch;
    }

    static String error(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("type", "server_error");
        return JSON.writeValueAsString(body);
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The request's JSON body, or null when it is none (the 400 is sent). */
    static JsonNode jsonBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return JSON.readTree(in);
        } catch (RuntimeException e) {
            send(exchange, 400, error(400, "request body is not JSON"));
            return null;
        }
    }

    /** A chunk of a streamed chat answer with one of the calls an answer made, as llama-server sends it. */
    static ObjectNode toolCallDelta(String model, int index, ToolCalls.Call call) {
        ObjectNode chunk = delta(model, null, null);
        ((ObjectNode) chunk.path("choices").path(0).path("delta")).set("tool_calls", ToolCalls.json(index, call));
        return chunk;
    }

    /** A chunk of a streamed chat answer, as llama-server sends one: a piece of content, or the finish reason. */
    static ObjectNode delta(String model, String content, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", "chatcmpl-stream")
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        } else {
            choice.putNull("finish_reason");
        }
        return chunk;
    }
}
