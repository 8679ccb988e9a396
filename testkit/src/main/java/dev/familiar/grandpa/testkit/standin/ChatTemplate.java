package dev.familiar.grandpa.testkit.standin;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a stand-in server renders a chat into the prompt it evaluates, as a model's chat template does. */
public enum ChatTemplate {
    /** Every message exactly as sent: {@code <|role|>\n}, its content, {@code <|end|>\n}; then {@code <|assistant|>\n}. */
    PLAIN("<|end|>\n"),
    /**
     * Qwen3's hybrid-thinking ChatML, the part of it that decides the prompt cache (our llama-server
     * notes): {@code <|im_start|>role\n}, content, {@code <|im_end|>\n}. An assistant turn before the
     * last user message is rendered without its {@code <think>} block; the generation prompt is
     * {@code <|im_start|>assistant\n}, followed by an empty think block when thinking is off
     * ({@code chat_template_kwargs.enable_thinking: false}). A tool's answers are one user turn of
     * {@code <tool_response>} blocks. The model ends its turn with {@code <|im_end|>}.
     */
    QWEN3("<|im_end|>");

    private static final Pattern THINK = Pattern.compile("(?s)^\\s*<think>(.*?)</think>\\s*");

    private final String endOfAnswer;

    ChatTemplate(String endOfAnswer) {
        this.endOfAnswer = endOfAnswer;
    }

    /** The template as {@code /props} shows it: not a model's file, but with the markers that name its format. */
    public String jinja() {
        return switch (this) {
            case PLAIN -> "{%- for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{%- endfor %}<|assistant|>\n";
            case QWEN3 -> "{%- for m in messages %}{{- '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}"
                    + "{%- endfor %}{{- '<|im_start|>assistant\\n' }} (the stand-in's rendering of Qwen3's template)";
        };
    }

    /** What the model writes after its answer (evaluated into the slot with it). */
    public String endOfAnswer() {
        return endOfAnswer;
    }

    /** The messages of a prompt this template rendered (for a raw {@code /completion} request). */
    public List<ChatCall.Message> parse(String prompt) {
        Pattern message = this == PLAIN ? Pattern.compile("(?s)<\\|(\\w+)\\|>\n(.*?)<\\|end\\|>\n")
                : Pattern.compile("(?s)<\\|im_start\\|>(\\w+)\n(.*?)<\\|im_end\\|>\n");
        var messages = new java.util.ArrayList<ChatCall.Message>();
        Matcher m = message.matcher(prompt);
        while (m.find()) {
            messages.add(new ChatCall.Message(m.group(1), m.group(2)));
        }
        return messages;
    }

    public String render(List<ChatCall.Message> messages, boolean thinking) {
        var text = new StringBuilder();
        switch (this) {
            case PLAIN -> {
                for (ChatCall.Message m : messages) {
                    text.append("<|").append(m.role()).append("|>\n").append(m.content()).append(endOfAnswer);
                }
                text.append("<|assistant|>\n");
            }
            case QWEN3 -> {
                int lastUser = -1;
                for (int i = 0; i < messages.size(); i++) {
                    lastUser = messages.get(i).role().equals("user") ? i : lastUser;
                }
                for (int i = 0; i < messages.size(); i++) {
                    ChatCall.Message m = messages.get(i);
                    String content = m.content();
                    if (m.role().equals("tool")) { // a tool's answers, together as one user turn
                        boolean first = !messages.get(i - 1).role().equals("tool");
                        boolean last = i + 1 == messages.size() || !messages.get(i + 1).role().equals("tool");
                        text.append(first ? "<|im_start|>user" : "").append("\n<tool_response>\n").append(content)
                                .append("\n</tool_response>").append(last ? "<|im_end|>\n" : "");
                        continue;
                    }
                    if (m.role().equals("assistant")) {
                        Matcher think = THINK.matcher(content);
                        if (think.find()) {
                            String answer = content.substring(think.end());
                            content = i > lastUser
                                    ? "<think>\n" + think.group(1).strip() + "\n</think>\n\n" + answer
                                    : answer;
                        }
                    }
                    text.append("<|im_start|>").append(m.role()).append('\n').append(content).append("<|im_end|>\n");
                }
                text.append("<|im_start|>assistant\n");
                if (!thinking) {
                    text.append("<think>\n\n</think>\n\n");
                }
            }
        }
        return text.toString();
    }
}
