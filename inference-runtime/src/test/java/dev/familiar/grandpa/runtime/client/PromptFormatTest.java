package dev.familiar.grandpa.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The tool of the conversation llama-server rendered (src/test/resources/templates/llama-server-qwen3-tools*). */
    static final ToolSpecification NOTES = ToolSpecification.builder().name("notes").description("Notes search")
            .parameters(JsonObjectSchema.builder().addStringProperty("query")
                    .addProperty("symbols", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                    .required("query").build())
            .build();

    /** A lookup turn: the request, the call (as the chat API hands it back), the tool's answer, the next request. */
    static List<ChatMessage> withToolCall(PromptFormat format) {
        return List.of(SystemMessage.from("You are grandpa."), UserMessage.from("Request: look up."),
                AiMessage.builder().text(format.callsOnly()).toolExecutionRequests(List.of(ToolExecutionRequest.builder()
                        .id("c1").name("notes").arguments("{\"query\":\"billing  runbook\",\"symbols\":[\"a\"]}").build()))
                        .build(),
                ToolExecutionResultMessage.from("c1", "notes", "found"), UserMessage.from("Request: plan."));
    }

    /**
     * What llama-server (llama.cpp d32676d, built here, a model file carrying the family's template) answered to
     * {@code /apply-template} for the same conversation ({@code *-request.json} beside it): the tools in the
     * system prompt, the call's arguments re-written as {@code tojson} does.
     */
    @Test
    void toolsCallsAndAnswersRenderAsLlamaServerRendersTheFamiliesTemplates() throws Exception {
        assertThat(PromptFormat.CHATML.render(withToolCall(PromptFormat.CHATML), List.of(NOTES)))
                .isEqualTo(resource("llama-server-qwen3-tools.txt"));
        assertThat(PromptFormat.GLM.render(withToolCall(PromptFormat.GLM), List.of(NOTES)))
                .isEqualTo(resource("llama-server-glm-4.6-tools.txt"));
    }

    private String resource(String name) throws Exception {
        return Files.readString(Path.of(getClass().getResource("/templates/" + name).toURI()));
    }

    @Test
    void theCallsAModelWritesAreReadBackAndAnUnfinishedOneIsLeftOut() {
        String answer = "<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"billing\", \"symbols\": []}}\n"
                + "</tool_call>\n<tool_call>\n{\"name\": \"code-symbols\", \"arguments\": {\"query\": \"Handler\"}}\n</tool_call>"
                + "\n<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\":";
        assertThat(PromptFormat.CHATML.toolCalls(answer, "t-")).satisfiesExactly(
                first -> assertThat(first).isEqualTo(ToolExecutionRequest.builder().id("t-0").name("notes")
                        .arguments("{\"query\":\"billing\",\"symbols\":[]}").build()),
                second -> assertThat(second.name()).isEqualTo("code-symbols"));
        assertThat(PromptFormat.GLM.toolCalls(answer, "t-")).as("not GLM's syntax").isEmpty();

        String glm = "\n<think></think>\n<tool_call>notes\n<arg_key>query</arg_key>\n<arg_value>billing 42</arg_value>\n"
                + "<arg_key>symbols</arg_key>\n<arg_value>[\"Handler\"]</arg_value>\n</tool_call>\n<tool_call>notes\n<arg_key>q";
        assertThat(PromptFormat.GLM.toolCalls(glm, "g-")).singleElement().isEqualTo(ToolExecutionRequest.builder()
                .id("g-0").name("notes").arguments("{\"query\":\"billing 42\",\"symbols\":[\"Handler\"]}").build());
    }

    @Test
    void aRawPromptWithToolsOnlyGrowsAtItsEnd() {
        String first = PromptFormat.CHATML.render(FIRST, List.of(NOTES));
        String generated = "<tool_call>\n{\"name\": \"notes\", \"arguments\": {\"query\": \"x\"}}\n</tool_call>";
        var next = new ArrayList<>(FIRST);
        next.add(AiMessage.from(generated)); // the raw path keeps the calls as written, in the answer's text
        next.add(ToolExecutionResultMessage.from("t-0", "notes", "found"));
        next.add(UserMessage.from("Request: plan."));
        assertThat(PromptFormat.CHATML.render(next, List.of(NOTES))).startsWith(first + generated + "<|im_end|>\n")
                .endsWith("<|im_start|>user\n<tool_response>\nfound\n</tool_response><|im_end|>\n"
                        + "<|im_start|>user\nRequest: plan.<|im_end|>\n<|im_start|>assistant\n");
    }
}
