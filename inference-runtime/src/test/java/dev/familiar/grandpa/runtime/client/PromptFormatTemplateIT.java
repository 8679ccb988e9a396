package dev.familiar.grandpa.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * grandpa's raw rendering against the models' published chat templates, rendered by Jinja2 as Hugging
 * Face renders them (Python's jinja2, which every published template is written for; Debian's
 * {@code python3-jinja2}, installed by {@code .ci/run}): a conversation with an earlier answer, as the
 * model wrote it without reasoning, must come out byte for byte the same. Templates: Qwen3's
 * (Qwen3-0.6B) and GLM-4.6's, kept in {@code src/test/resources/templates}. (llama.cpp's own engine in
 * the de.kherud:llama binding is too old for them: it cannot parse Qwen3's {@code messages[::-1]} and
 * silently renders ChatML instead.)
 */
class PromptFormatTemplateIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void chatmlRendersAsQwen3sTemplateDoes() throws Exception {
        assertThat(grandpas(PromptFormat.CHATML)).isEqualTo(templates("qwen3.jinja", PromptFormat.CHATML));
    }

    @Test
    void glmRendersAsGlm46sTemplateDoes() throws Exception {
        assertThat(grandpas(PromptFormat.GLM)).isEqualTo(templates("glm-4.6.jinja", PromptFormat.GLM));
    }

    @Test
    void chatmlRendersToolsCallsAndAnswersAsQwen3sTemplateDoes() throws Exception {
        assertThat(PromptFormat.CHATML.render(PromptFormatTest.withToolCall(PromptFormat.CHATML), List.of(PromptFormatTest.NOTES)))
                .isEqualTo(templatesWithTools("qwen3.jinja", PromptFormat.CHATML));
    }

    @Test
    void glmRendersToolsCallsAndAnswersAsGlm46sTemplateDoes() throws Exception {
        assertThat(PromptFormat.GLM.render(PromptFormatTest.withToolCall(PromptFormat.GLM), List.of(PromptFormatTest.NOTES)))
                .isEqualTo(templatesWithTools("glm-4.6.jinja", PromptFormat.GLM));
    }

    /** The lookup conversation with the notes tool, rendered by the published template (a call's arguments an object). */
    String templatesWithTools(String template, PromptFormat format) throws Exception {
        var messages = new ArrayList<Map<String, Object>>();
        for (ChatMessage m : PromptFormatTest.withToolCall(format)) {
            switch (m) {
                case SystemMessage x -> messages.add(Map.of("role", "system", "content", x.text()));
                case UserMessage x -> messages.add(Map.of("role", "user", "content", x.singleText()));
                case AiMessage x -> messages.add(Map.of("role", "assistant", "content", x.text(), "tool_calls",
                        x.toolExecutionRequests().stream().map(c -> Map.of("id", c.id(), "type", "function", "function",
                                Map.of("name", c.name(), "arguments", JSON.readValue(c.arguments(), Map.class)))).toList()));
                case ToolExecutionResultMessage x -> messages.add(Map.of("role", "tool", "tool_call_id", x.id(),
                        "content", x.text()));
                default -> throw new IllegalStateException();
            }
        }
        return render(Map.of("template", resource(template), "messages", messages, "add_generation_prompt", true,
                "tools", List.of(PromptFormat.toolJson(PromptFormatTest.NOTES))));
    }

    @Test
    void aFormatIsNotMistakenForAnother() throws Exception {
        assertThat(grandpas(PromptFormat.CHATML)).isNotEqualTo(templates("glm-4.6.jinja", PromptFormat.GLM));
        assertThat(grandpas(PromptFormat.GLM)).isNotEqualTo(templates("qwen3.jinja", PromptFormat.CHATML));
    }

    /** The probe conversation grandpa checks a server with: a system prompt, two requests with an answer between. */
    static List<ChatMessage> conversation(PromptFormat format) {
        return ServerProbe.conversation(format);
    }

    @Test
    void eachTemplateNamesItsFormatByItsMarkers() throws Exception {
        assertThat(ServerProbe.candidate(resource("qwen3.jinja"))).isEqualTo(PromptFormat.CHATML);
        assertThat(ServerProbe.candidate(resource("glm-4.6.jinja"))).isEqualTo(PromptFormat.GLM);
        assertThat(ServerProbe.candidate("{{ messages }}")).isNull();
    }

    String grandpas(PromptFormat format) {
        return format.render(conversation(format));
    }

    String templates(String template, PromptFormat format) throws Exception {
        var messages = new ArrayList<Map<String, String>>();
        for (ChatMessage m : conversation(format)) {
            switch (m) {
                case SystemMessage x -> messages.add(Map.of("role", "system", "content", x.text()));
                case UserMessage x -> messages.add(Map.of("role", "user", "content", x.singleText()));
                case AiMessage x -> messages.add(Map.of("role", "assistant", "content", x.text()));
                default -> throw new IllegalStateException();
            }
        }
        return render(Map.of("template", resource(template), "messages", messages, "add_generation_prompt", true));
    }

    String render(Map<String, Object> requested) throws Exception {
        String request = JSON.writeValueAsString(requested);
        Process python = new ProcessBuilder("python3", Path.of(getClass().getResource("/templates/render.py").toURI())
                .toString()).start();
        try (var in = python.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(err).isZero();
        return out;
    }

    String resource(String name) throws Exception {
        return Files.readString(Path.of(Objects.requireNonNull(getClass().getResource("/templates/" + name)).toURI()));
    }
}
