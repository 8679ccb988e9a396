package dev.familiar.grandpa.testkit.standin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tools as a stand-in takes them, the way llama-server does with Qwen3's template: the tools go into the
 * system prompt (as that template writes them, whichever template the stand-in has), a model writes its calls as {@code <tool_call>\n{"name": ..., "arguments":
 * {...}}\n</tool_call>} in its answer, and the server hands them back as {@code tool_calls}; an answer's calls
 * sent back are rendered the same way again, and a tool's answer is a message of its own. A responder writes
 * the calls as text, as a model does.
 */
final class ToolCalls {
    private static final Pattern CALL = Pattern.compile(
            "(?s)<tool_call>\n\\{\"name\": \"([^\"]+)\", \"arguments\": (\\{.*?\\})}\n</tool_call>");

    private ToolCalls() {}

    /** A call as the answer wrote it: its name and its arguments, word for word. */
    record Call(String name, String arguments) {}

    /** Whether the request offers tools for the model to call now (not with {@code tool_choice: none}). */
    static boolean offered(JsonNode request) {
        return request.path("tools").isArray() && !request.path("tools").isEmpty()
                && !"none".equals(request.path("tool_choice").asString("auto"));
    }

    /** A request with tools refused as llama-server without {@code --jinja} refuses it; false when it has none. */
    static boolean refused(HttpExchange exchange, JsonNode request) throws IOException {
        if (!request.path("tools").isArray() || request.path("tools").isEmpty()) {
            return false;
        }
        Wire.send(exchange, 500, Wire.error(500, "tools param requires --jinja flag"));
        return true;
    }

    /** The calls an answer writes; none when it writes none. */
    static List<Call> in(String answer) {
        var calls = new ArrayList<Call>();
        Matcher m = CALL.matcher(answer == null ? "" : answer);
        while (m.find()) {
            calls.add(new Call(m.group(1), m.group(2)));
        }
        return calls;
    }

    /** What the answer says besides its calls. */
    static String text(String answer) {
        int at = answer.indexOf("<tool_call>");
        return at < 0 ? answer : answer.substring(0, at).strip();
    }

    /**
     * An assistant message's content as Qwen3's template renders it: its text, then each of its calls, the
     * arguments written again as the template's {@code tojson} writes them (as llama-server does).
     */
    static String rendered(JsonNode message) {
        var text = new StringBuilder(Wire.content(message.path("content")));
        for (JsonNode call : message.path("tool_calls")) {
            text.append(text.isEmpty() ? "" : "\n").append("<tool_call>\n{\"name\": \"")
                    .append(call.path("function").path("name").asString()).append("\", \"arguments\": ")
                    .append(python(Wire.JSON.readTree(call.path("function").path("arguments").asString("{}"))))
                    .append("}\n</tool_call>");
        }
        return text.toString();
    }

    /** The tools as Qwen3's template puts them at the end of the system prompt. */
    static String system(JsonNode tools) {
        var text = new StringBuilder("\n\n# Tools\n\nYou may call one or more functions to assist with the user query."
                + "\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>");
        tools.forEach(tool -> text.append('\n').append(python(tool)));
        return text.append("\n</tools>\n\nFor each function call, return a json object with function name and arguments "
                + "within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
                + "<args-json-object>}\n</tool_call>").toString();
    }

    /** JSON as a template's {@code tojson} (Python's {@code json.dumps}) writes it: ", " and ": ". */
    static String python(JsonNode json) {
        if (json.isObject()) {
            var items = new ArrayList<String>();
            json.properties().forEach(e -> items.add(Wire.JSON.writeValueAsString(e.getKey()) + ": " + python(e.getValue())));
            return "{" + String.join(", ", items) + "}";
        }
        if (json.isArray()) {
            var items = new ArrayList<String>();
            json.forEach(item -> items.add(python(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return Wire.JSON.writeValueAsString(json);
    }

    /** A call as the {@code tool_calls} of a stream's delta. */
    static ArrayNode json(int index, Call call) {
        ArrayNode array = Wire.JSON.createArrayNode();
        ObjectNode json = array.addObject().put("index", index).put("id", "call_" + index).put("type", "function");
        json.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        return array;
    }
}
