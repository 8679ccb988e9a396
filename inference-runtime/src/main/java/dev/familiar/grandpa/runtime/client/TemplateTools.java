package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tools as a family's chat template writes them, byte for byte: offered in the system prompt, called in the
 * answer, answered in a turn of their own; and the calls read back from what a model wrote. Qwen3's (ChatML:
 * a JSON object per call in {@code <tool_call>}) and GLM-4.5/4.6's ({@code <arg_key>}/{@code <arg_value>}
 * pairs, answers after {@code <|observation|>}), each checked against the published template.
 */
final class TemplateTools {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INTRO = "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private static final String QWEN_CALLS = "\n</tools>\n\nFor each function call, return a json object with function "
            + "name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, "
            + "\"arguments\": <args-json-object>}\n</tool_call>";
    private static final String GLM_CALLS = "</tools>\n\nFor each function call, output the function name and arguments "
            + "within the following XML format:\n<tool_call>{function-name}\n<arg_key>{arg-key-1}</arg_key>\n"
            + "<arg_value>{arg-value-1}</arg_value>\n<arg_key>{arg-key-2}</arg_key>\n<arg_value>{arg-value-2}</arg_value>\n"
            + "...\n</tool_call>";
    private static final Pattern QWEN_CALL = Pattern.compile("(?s)<tool_call>\\s*(.*?)\\s*</tool_call>");
    private static final Pattern GLM_CALL = Pattern.compile("(?s)<tool_call>([^\\n<]+)\\n(.*?)</tool_call>");
    private static final Pattern GLM_ARGUMENT = Pattern.compile("(?s)<arg_key>(.*?)</arg_key>\\s*<arg_value>(.*?)</arg_value>");

    private TemplateTools() {}

    /**
     * The system prompt with the tools: Qwen3 writes them after the system message in one system turn; GLM in a
     * system turn of their own before it ({@link #holdsSystemMessage} false: the system message is still to come).
     */
    static String system(PromptFormat format, String systemMessage, List<ToolSpecification> tools) {
        var text = new StringBuilder();
        if (format == PromptFormat.CHATML) {
            text.append("<|im_start|>system\n").append(systemMessage == null ? "" : systemMessage + "\n\n").append(INTRO);
            tools.forEach(tool -> text.append('\n').append(PythonJson.write(json(tool))));
            return text.append(QWEN_CALLS).append("<|im_end|>\n").toString();
        }
        text.append("<|system|>\n").append(INTRO).append('\n');
        tools.forEach(tool -> text.append(PythonJson.write(json(tool))).append('\n'));
        return text.append(GLM_CALLS).toString();
    }

    /** Whether the system message is part of the tools' system turn (Qwen3), not a turn of its own (GLM). */
    static boolean holdsSystemMessage(PromptFormat format) {
        return format == PromptFormat.CHATML;
    }

    /** The calls of an answer as the template writes them after its text (arguments re-written as {@code tojson} does). */
    static String calls(PromptFormat format, String text, List<ToolExecutionRequest> calls) {
        var written = new StringBuilder(text);
        for (ToolExecutionRequest call : calls) {
            Map<?, ?> arguments = JSON.readValue(call.arguments(), Map.class);
            if (format == PromptFormat.CHATML) {
                written.append(written.isEmpty() ? "" : "\n").append("<tool_call>\n{\"name\": \"").append(call.name())
                        .append("\", \"arguments\": ").append(PythonJson.write(arguments)).append("}\n</tool_call>");
            } else {
                written.append("\n<tool_call>").append(call.name()).append('\n');
                arguments.forEach((k, v) -> written.append("<arg_key>").append(k).append("</arg_key>\n<arg_value>")
                        .append(v instanceof String s ? s : PythonJson.write(v)).append("</arg_value>\n"));
                written.append("</tool_call>");
            }
        }
        return written.toString();
    }

    /** A tool's answer, the first and last of a run of them marked: they share one turn. */
    static String answer(PromptFormat format, String text, boolean first, boolean last) {
        String opening = format == PromptFormat.CHATML ? "<|im_start|>user" : "<|observation|>";
        return (first ? opening : "") + "\n<tool_response>\n" + text + "\n</tool_response>"
                + (last && format == PromptFormat.CHATML ? "<|im_end|>\n" : "");
    }

    /** The calls an answer writes, numbered from {@code idPrefix}; a call that cannot be read is left out. */
    static List<ToolExecutionRequest> read(PromptFormat format, String answer, String idPrefix) {
        var calls = new ArrayList<ToolExecutionRequest>();
        Matcher m = (format == PromptFormat.CHATML ? QWEN_CALL : GLM_CALL).matcher(answer);
        while (m.find()) {
            try {
                JsonNode call = format == PromptFormat.CHATML ? JSON.readTree(m.group(1)) : glmCall(m.group(1), m.group(2));
                if (call.path("name").isString() && call.path("arguments").isObject()) {
                    calls.add(ToolExecutionRequest.builder().id(idPrefix + calls.size()).name(call.path("name").asString())
                            .arguments(JSON.writeValueAsString(call.path("arguments"))).build());
                }
            } catch (JacksonException e) {
                // not a call the model finished writing: nothing to run
            }
        }
        return calls;
    }

    /** A GLM call as {@code {name, arguments}}: a value the template wrote with {@code tojson} is read back as JSON. */
    private static JsonNode glmCall(String name, String body) {
        ObjectNode call = JSON.createObjectNode().put("name", name.strip());
        ObjectNode arguments = call.putObject("arguments");
        Matcher m = GLM_ARGUMENT.matcher(body);
        while (m.find()) {
            String value = m.group(2);
            arguments.set(m.group(1).strip(), value.startsWith("[") || value.startsWith("{") ? JSON.readTree(value)
                    : JSON.getNodeFactory().stringNode(value));
        }
        return call;
    }

    /** A tool as OpenAI's API and the templates take it: {@code {"type": "function", "function": {...}}}. */
    static Map<String, Object> json(ToolSpecification tool) {
        var function = new LinkedHashMap<String, Object>();
        function.put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        function.put("parameters", tool.parameters() == null ? Map.of("type", "object", "properties", Map.of())
                : JsonSchemaElementUtils.toMap(tool.parameters()));
        var json = new LinkedHashMap<String, Object>();
        json.put("type", "function");
        json.put("function", function);
        return json;
    }
}
