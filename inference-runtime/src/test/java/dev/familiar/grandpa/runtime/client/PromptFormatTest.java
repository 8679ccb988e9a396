package dev.familiar.grandpa.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptFormatTest {
    static final List<ChatMessage> FIRST = List.of(SystemMessage.from("You are grandpa."), UserMessage.from("Request: plan."));

    @Test
    void glmPromptsCarryAnswersExactlyAsGeneratedAndEndAtTheAssistantMarker() {
        String first = PromptFormat.GLM.render(FIRST);
        assertThat(first).isEqualTo("[gMASK]<sop><|system|>\nYou are grandpa.<|user|>\nRequest: plan.<|assistant|>");

        String generated = "\n<think>The goal needs two steps.</think>\n{\"subtasks\": []}";
        var next = new ArrayList<>(FIRST);
        next.add(AiMessage.from(generated));
        next.add(UserMessage.from("Request: judge."));
        // what the slot holds (the prompt and the answer) is where the next prompt starts
        assertThat(PromptFormat.GLM.render(next)).startsWith(first + generated)
                .endsWith(generated + "<|user|>\nRequest: judge.<|assistant|>");
    }

    @Test
    void chatMlPromptsOnlyGrowAtTheirEnd() {
        String first = PromptFormat.CHATML.render(FIRST);
        assertThat(first).isEqualTo("<|im_start|>system\nYou are grandpa.<|im_end|>\n<|im_start|>user\nRequest: plan.<|im_end|>\n"
                + "<|im_start|>assistant\n");
        String generated = "<think>\nTwo steps.\n</think>\n\n{}";
        var next = new ArrayList<>(FIRST);
        next.add(AiMessage.from(generated));
        next.add(UserMessage.from("Request: judge."));
        assertThat(PromptFormat.CHATML.render(next)).startsWith(first + generated + "<|im_end|>");
    }
}
