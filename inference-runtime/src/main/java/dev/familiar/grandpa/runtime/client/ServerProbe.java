package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
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
     * ({@code POST /apply-template}). llama-server does only with {@code --jinja}; without, it refuses them.
     */
    public boolean acceptsTools() {
        var tool = Map.of("type", "function", "function", Map.of("name", "probe", "description", "a probe",
                "parameters", Map.of("type", "object", "properties", Map.of())));
        var request = Map.of("messages", List.of(Map.of("role", "user", "content", "x")), "tools", List.of(tool));
        try {
            HttpResponse<String> rendered = send(HttpRequest.newBuilder(server.resolve("/apply-template"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
            return rendered.statusCode() == 200 && JSON.readTree(rendered.body()).path("prompt").asString("").contains("probe");
        } catch (Unreachable | JacksonException e) {
            return false;
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

    private static List<Map<String, String>> json(List<ChatMessage> conversation) {
        var messages = new ArrayList<Map<String, String>>();
        for (ChatMessage m : conversation) {
            switch (m) {
                case SystemMessage x -> messages.add(Map.of("role", "system", "content", x.text()));
                case UserMessage x -> messages.add(Map.of("role", "user", "content", x.singleText()));
                case AiMessage x -> messages.add(Map.of("role", "assistant", "content", x.text()));
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
