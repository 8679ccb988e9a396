package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
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

/**
 * A chat rendered into a raw prompt by grandpa itself rather than by the server's template, so that
 * every earlier answer goes back exactly as the model wrote it (its {@code <think>} block included)
 * and the prompt only ever grows at its end. Templates re-render history: Qwen3's drops the think
 * block of earlier answers, so through the chat API each request misses the cache from the previous
 * answer on; sent raw, nothing before the new request changes. Tools are rendered as the family's
 * template renders them (where grandpa knows how: {@link #rendersTools()}), and tool calls read back from
 * what the model wrote.
 */
public enum PromptFormat {
    /** ChatML as the Qwen family uses it: {@code <|im_start|>role\n...<|im_end|>\n}, then {@code <|im_start|>assistant\n}. */
    CHATML,
    /**
     * The GLM-4.5/4.6 family's: {@code [gMASK]<sop>}, then {@code <|system|>\n...}, {@code <|user|>\n...}
     * and {@code <|assistant|>} followed by the answer exactly as generated (its {@code \n<think>...</think>}
     * included), ending with {@code <|assistant|>}; the model ends its turn with {@code <|user|>}. Read
     * from the GLM-4.6 template that llama.cpp's repository carries, not yet run against a GLM model.
     */
    GLM;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOOL_CALL = Pattern.compile("(?s)<tool_call>\\s*(.*?)\\s*</tool_call>");
    private static final String QWEN_TOOLS = "# Tools\n\nYou may call one or more functions to assist with the user query."
            + "\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private static final String QWEN_CALLS = "\n</tools>\n\nFor each function call, return a json object with function "
            + "name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, "
            + "\"arguments\": <args-json-object>}\n</tool_call>";

    /**
     * An answer as this model family writes it when it does not reason: what grandpa keeps in its history
     * and sends back. Qwen3 writes the answer alone; GLM opens every turn with an empty think block.
     */
    public String asGenerated(String answer) {
        return this == GLM ? "\n<think></think>\n" + answer : answer;
    }

    /** Whether grandpa renders tools and reads tool calls in this family's own syntax (GLM's not yet). */
    public boolean rendersTools() {
        return this == CHATML;
    }

    public String render(List<ChatMessage> messages) {
        return render(messages, List.of());
    }

    /** The prompt of a chat with these tools offered (rendered into the system prompt, as the template does). */
    public String render(List<ChatMessage> messages, List<ToolSpecification> tools) {
        if (!tools.isEmpty() && !rendersTools()) {
            throw new IllegalArgumentException("grandpa does not render tools in " + this + "'s syntax");
        }
        var prompt = new StringBuilder(this == GLM ? "[gMASK]<sop>" : "");
        int from = 0;
        if (!tools.isEmpty()) {
            prompt.append("<|im_start|>system\n");
            if (!messages.isEmpty() && messages.getFirst() instanceof SystemMessage system) {
                prompt.append(system.text()).append("\n\n");
                from = 1;
            }
            prompt.append(QWEN_TOOLS);
            tools.forEach(tool -> prompt.append('\n').append(PythonJson.write(toolJson(tool))));
            prompt.append(QWEN_CALLS).append("<|im_end|>\n");
        }
        for (int i = from; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case SystemMessage m -> turn(prompt, "system", m.text());
                case UserMessage m -> turn(prompt, "user", m.singleText());
                case AiMessage m -> turn(prompt, "assistant", answer(m));
                case ToolExecutionResultMessage m -> {
                    if (this == GLM) {
                        throw new IllegalArgumentException("a raw GLM prompt has no place for a tool's answer yet");
                    }
                    boolean first = !(messages.get(i - 1) instanceof ToolExecutionResultMessage);
                    boolean last = i + 1 == messages.size() || !(messages.get(i + 1) instanceof ToolExecutionResultMessage);
                    prompt.append(first ? "<|im_start|>user" : "").append("\n<tool_response>\n").append(m.text())
                            .append("\n</tool_response>").append(last ? "<|im_end|>\n" : "");
                }
                default -> throw new IllegalArgumentException("a raw prompt has no place for a " + messages.get(i).type()
                        + " message");
            }
        }
        return prompt.append(this == GLM ? "<|assistant|>" : "<|im_start|>assistant\n").toString();
    }

    private void turn(StringBuilder prompt, String role, String text) {
        switch (this) {
            case CHATML -> prompt.append("<|im_start|>").append(role).append('\n').append(text).append("<|im_end|>\n");
            case GLM -> prompt.append("<|").append(role).append("|>").append(role.equals("assistant") ? "" : "\n").append(text);
        }
    }

    /** An answer's text, and its tool calls as the template writes them (arguments re-written as {@code tojson} does). */
    private String answer(AiMessage message) {
        String text = message.text() == null ? "" : message.text();
        if (!message.hasToolExecutionRequests()) {
            return text;
        }
        if (this == GLM) {
            throw new IllegalArgumentException("a raw GLM prompt has no place for tool calls yet");
        }
        var written = new StringBuilder(text);
        for (ToolExecutionRequest call : message.toolExecutionRequests()) {
            written.append(written.isEmpty() ? "" : "\n").append("<tool_call>\n{\"name\": \"").append(call.name())
                    .append("\", \"arguments\": ").append(PythonJson.write(JSON.readValue(call.arguments(), Object.class)))
                    .append("}\n</tool_call>");
        }
        return written.toString();
    }

    /**
     * The tool calls an answer writes in this family's syntax ({@code <tool_call>{"name": ..., "arguments":
     * {...}}</tool_call>}), numbered from {@code idPrefix}; a call that cannot be read is left out.
     */
    public List<ToolExecutionRequest> toolCalls(String answer, String idPrefix) {
        var calls = new ArrayList<ToolExecutionRequest>();
        if (!rendersTools()) {
            return calls;
        }
        Matcher m = TOOL_CALL.matcher(answer);
        while (m.find()) {
            try {
                JsonNode call = JSON.readTree(m.group(1));
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

    /** A tool as OpenAI's API and the templates take it: {@code {"type": "function", "function": {...}}}. */
    public static Map<String, Object> toolJson(ToolSpecification tool) {
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
