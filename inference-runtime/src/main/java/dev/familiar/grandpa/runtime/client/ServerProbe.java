package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a llama-server says about itself ({@code GET /props}: its chat template, its context per slot,
 * its slots), and which raw prompt format renders that template exactly: the candidate the template
 * names is checked against the server itself, which renders a probe conversation with the model's own
 * template ({@code POST /apply-template}); only a byte-for-byte match is trusted. The probe holds an
 * earlier answer as the model writes it without reasoning: templates that strip earlier reasoning
 * (Qwen3's) would otherwise differ where grandpa's history must not.
 */
public final class ServerProbe {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The server's own description; null fields it did not give. */
    public record Props(String chatTemplate, Integer contextPerSlot, Integer slots) {}

    /**
     * What was found: the raw format to use ({@code format}, null when none renders the template and
     * the chat API is the way), why, and the server's props (null when it has no {@code /props}).
     */
    public record Result(PromptFormat format, String reason, Props props) {}

    /** The server did not answer at all: try again when it is up. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The tool a probe conversation offers. */
    private static final ToolSpecification PROBE_TOOL = ToolSpecification.builder().name("probe").description("A probe.")
            .parameters(JsonObjectSchema.builder().addStringProperty("query").required("query").build()).build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI server;
    private final String apiKey;

    /** @param server the server's root, e.g. {@code http://127.0.0.1:8000}; apiKey its {@code --api-key}, or null */
    public ServerProbe(URI server, String apiKey) {
        this.server = server;
        this.apiKey = apiKey;
    }

    /** @throws Unreachable when the server does not answer */
    public Result probe() {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(server.resolve("/props")).GET());
        if (answer.statusCode() != 200) {
            return new Result(null, "the server has no /props (HTTP " + answer.statusCode() + "): not llama-server, so its "
                    + "chat API is used", null);
        }
        Props props;
        try {
            JsonNode body = JSON.readTree(answer.body());
            props = new Props(body.path("chat_template").asString(null),
                    body.path("default_generation_settings").has("n_ctx")
                            ? body.path("default_generation_settings").path("n_ctx").asInt() : null,
                    body.has("total_slots") ? body.path("total_slots").asInt() : null);
        } catch (JacksonException e) {
            return new Result(null, "the server's /props is not JSON, so its chat API is used", null);
        }
        PromptFormat candidate = candidate(props.chatTemplate());
        if (candidate == null) {
            return new Result(null, "the server's chat template is neither ChatML (Qwen) nor GLM's, so its chat API is "
                    + "used", props);
        }
        List<ChatMessage> conversation = conversation(candidate);
        String mine = candidate.render(conversation);
        String theirs;
        try {
            HttpResponse<String> rendered = send(HttpRequest.newBuilder(server.resolve("/apply-template"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("messages", json(conversation))))));
            if (rendered.statusCode() != 200) {
                return new Result(null, "the server has no /apply-template (HTTP " + rendered.statusCode() + "), so "
                        + candidate + " could not be checked and its chat API is used", props);
            }
            theirs = JSON.readTree(rendered.body()).path("prompt").asString(null);
        } catch (JacksonException e) {
            theirs = null;
        }
        if (mine.equals(theirs)) {
            return new Result(candidate, "the server's template renders a probe conversation exactly as grandpa's "
                    + candidate + " does", props);
        }
        return new Result(null, "the server's template renders a probe conversation differently from grandpa's "
                + candidate + " " + difference(mine, theirs) + ", so its chat API is used", props);
    }

    /**
     * Whether the server's chat API takes tools: it renders a conversation with a tool through its template
     * ({@code POST /apply-template}). llama-server does unless started with {@code --no-jinja}.
     */
    public boolean acceptsTools() {
        String rendered = renderWithTools(List.of(UserMessage.from("x")));
        return rendered != null && rendered.contains(PROBE_TOOL.name());
    }

    /**
     * Whether the server's template renders a conversation with a tool, a call of it and its answer exactly as
     * grandpa's format does: only then are tools offered on the raw path (Qwen3.5's template, for one, writes
     * calls in another syntax than Qwen3's under the same ChatML markers).
     */
    public boolean rendersToolsAs(PromptFormat format) {
        List<ChatMessage> conversation = List.of(SystemMessage.from("You are grandpa."), UserMessage.from("Request: look up."),
                AiMessage.builder().text(format.callsOnly()).toolExecutionRequests(List.of(ToolExecutionRequest.builder()
                        .id("c1").name(PROBE_TOOL.name()).arguments("{\"query\":\"a b\"}").build())).build(),
                ToolExecutionResultMessage.from("c1", PROBE_TOOL.name(), "found"), UserMessage.from("Request: plan."));
        return format.render(conversation, List.of(PROBE_TOOL)).equals(renderWithTools(conversation));
    }

    /** The conversation with the probe tool as the server's template renders it; null when it will not. */
    private String renderWithTools(List<ChatMessage> conversation) {
        var request = Map.of("messages", json(conversation), "tools", List.of(PromptFormat.toolJson(PROBE_TOOL)));
        try {
            HttpResponse<String> rendered = send(HttpRequest.newBuilder(server.resolve("/apply-template"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
            return rendered.statusCode() == 200 ? JSON.readTree(rendered.body()).path("prompt").asString(null) : null;
        } catch (Unreachable | JacksonException e) {
            return null;
        }
    }

    /**
     * How many tokens the server's model makes of a text ({@code POST /tokenize}); when the server
     * cannot say, a cautious guess of one token per three characters.
     */
    public int tokens(String text) {
        return countTokens(text).orElse(text.length() / 3 + 1);
    }

    /** How many tokens the server's model makes of a text ({@code POST /tokenize}); empty when it cannot say. */
    public OptionalInt countTokens(String text) {
        try {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(server.resolve("/tokenize"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("content", text)))));
            JsonNode tokens = answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("tokens") : null;
            if (tokens != null && tokens.isArray()) {
                return OptionalInt.of(tokens.size());
            }
        } catch (Unreachable | JacksonException e) {
            // the caller decides what to do without a count
        }
        return OptionalInt.empty();
    }

    /** The root of the server an OpenAI-style base URL ({@code http://host:8000/v1}) names. */
    public static URI serverRoot(String baseUrl) {
        return URI.create(baseUrl.replaceAll("/v1/?$", "/"));
    }

    /** The format a template's own markers name, if grandpa has one. */
    static PromptFormat candidate(String template) {
        if (template == null) {
            return null;
        }
        if (template.contains("[gMASK]<sop>") && template.contains("<|assistant|>")) {
            return PromptFormat.GLM;
        }
        if (template.contains("<|im_start|>") && template.contains("<|im_end|>")) {
            return PromptFormat.CHATML;
        }
        return null;
    }

    /** A system prompt, a request, its answer (as the model writes it without reasoning) and a second request. */
    public static List<ChatMessage> conversation(PromptFormat format) {
        return List.of(SystemMessage.from("You are grandpa, an orchestrator."), UserMessage.from("Request: plan.\nGoal: a"),
                AiMessage.from(format.asGenerated("{\"summary\":\"s\"}")), UserMessage.from("Request: judge.\nOutput: b"));
    }

    private static List<Map<String, Object>> json(List<ChatMessage> conversation) {
        var messages = new ArrayList<Map<String, Object>>();
        for (ChatMessage m : conversation) {
            switch (m) {
                case SystemMessage x -> messages.add(Map.of("role", "system", "content", x.text()));
                case UserMessage x -> messages.add(Map.of("role", "user", "content", x.singleText()));
                case AiMessage x when x.hasToolExecutionRequests() -> messages.add(Map.of("role", "assistant",
                        "content", x.text() == null ? "" : x.text(), "tool_calls", x.toolExecutionRequests().stream()
                                .map(c -> Map.of("id", c.id(), "type", "function", "function",
                                        Map.of("name", c.name(), "arguments", c.arguments()))).toList()));
                case AiMessage x -> messages.add(Map.of("role", "assistant", "content", x.text()));
                case ToolExecutionResultMessage x -> messages.add(Map.of("role", "tool", "tool_call_id", x.id(),
                        "content", x.text()));
                default -> throw new IllegalArgumentException(m.type().toString());
            }
        }
        return messages;
    }

    private static String difference(String mine, String theirs) {
        if (theirs == null) {
            return "(the server rendered nothing)";
        }
        int at = 0;
        while (at < mine.length() && at < theirs.length() && mine.charAt(at) == theirs.charAt(at)) {
            at++;
        }
        return "from character " + at + " on: the server's " + JSON.writeValueAsString(excerpt(theirs, at)) + ", grandpa's "
                + JSON.writeValueAsString(excerpt(mine, at));
    }

    private static String excerpt(String text, int at) {
        return text.substring(at, Math.min(text.length(), at + 40));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("the model server at " + server + " does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while asking the model server at " + server, e);
        }
    }
}
