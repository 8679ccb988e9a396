package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;

/**
 * A chat rendered into a raw prompt by grandpa itself rather than by the server's template, so that
 * every earlier answer goes back exactly as the model wrote it (its {@code <think>} block included)
 * and the prompt only ever grows at its end. Templates re-render history: Qwen3's drops the think
 * block of earlier answers, so through the chat API each request misses the cache from the previous
 * answer on; sent raw, nothing before the new request changes.
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

    public String render(List<ChatMessage> messages) {
        var prompt = new StringBuilder(this == GLM ? "[gMASK]<sop>" : "");
        for (ChatMessage message : messages) {
            String role;
            String text;
            switch (message) {
                case SystemMessage m -> { role = "system"; text = m.text(); }
                case UserMessage m -> { role = "user"; text = m.singleText(); }
                case AiMessage m -> { role = "assistant"; text = m.text() == null ? "" : m.text(); }
                default -> throw new IllegalArgumentException("a raw prompt has no place for a " + message.type() + " message");
            }
            switch (this) {
                case CHATML -> prompt.append("<|im_start|>").append(role).append('\n').append(text).append("<|im_end|>\n");
                case GLM -> prompt.append("<|").append(role).append("|>").append(role.equals("assistant") ? "" : "\n")
                        .append(text);
            }
        }
        return prompt.append(this == GLM ? "<|assistant|>" : "<|im_start|>assistant\n").toString();
    }
}
