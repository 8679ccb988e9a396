package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import java.util.Map;

/**
 * A chat rendered into a raw prompt by grandpa itself rather than by the server's template, so that
 * every earlier answer goes back exactly as the model wrote it (its {@code <think>} block included)
 * and the prompt only ever grows at its end. Templates re-render history: Qwen3's drops the think
 * block of earlier answers, so through the chat API each request misses the cache from the previous
 * answer on; sent raw, nothing before the new request changes. Tools are rendered as the family's
 * template renders them ({@link TemplateTools}), and tool calls read back from what the model wrote.
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

    /**
     * An answer as this model family writes it when it does not reason: what grandpa keeps in its history
     * and sends back. Qwen3 writes the answer alone; GLM opens every turn with an empty think block.
     */
    public String asGenerated(String answer) {
        return this == GLM ? "\n<think></think>\n" + answer : answer;
    }

    /**
     * An answer that only calls tools, as this family writes it before its calls: GLM opens it with an empty
     * think block, Qwen3 writes the calls alone.
     */
    public String callsOnly() {
        return this == GLM ? "\n<think></think>" : "";
    }

    public String render(List<ChatMessage> messages) {
        return render(messages, List.of());
    }

    /** The prompt of a chat with these tools offered (rendered into the system prompt, as the template does). */
    public String render(List<ChatMessage> messages, List<ToolSpecification> tools) {
        var prompt = new StringBuilder(this == GLM ? "[gMASK]<sop>" : "");
        int from = 0;
        if (!tools.isEmpty()) {
            boolean system = !messages.isEmpty() && messages.getFirst() instanceof SystemMessage;
            boolean held = system && TemplateTools.holdsSystemMessage(this);
            prompt.append(TemplateTools.system(this, held ? ((SystemMessage) messages.getFirst()).text() : null, tools));
            from = held ? 1 : 0;
        }
        for (int i = from; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case SystemMessage m -> turn(prompt, "system", m.text());
                case UserMessage m -> turn(prompt, "user", m.singleText());
                case AiMessage m -> turn(prompt, "assistant", m.hasToolExecutionRequests()
                        ? TemplateTools.calls(this, m.text() == null ? "" : m.text(), m.toolExecutionRequests())
                        : m.text() == null ? "" : m.text());
                case ToolExecutionResultMessage m -> prompt.append(TemplateTools.answer(this, m.text(),
                        !(messages.get(i - 1) instanceof ToolExecutionResultMessage),
                        i + 1 == messages.size() || !(messages.get(i + 1) instanceof ToolExecutionResultMessage)));
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

    /** The tool calls an answer writes in this family's syntax, numbered from {@code idPrefix}; unreadable ones left out. */
    public List<ToolExecutionRequest> toolCalls(String answer, String idPrefix) {
        return TemplateTools.read(this, answer, idPrefix);
    }

    /** A tool as OpenAI's API and the templates take it: {@code {"type": "function", "function": {...}}}. */
    public static Map<String, Object> toolJson(ToolSpecification tool) {
        return TemplateTools.json(tool);
    }
}
