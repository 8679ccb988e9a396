package dev.familiar.grandpa.testkit.standin;

import static dev.familiar.grandpa.testkit.standin.Wire.*;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the stand-in server answers a call its responder has answered: the prompt evaluated in its slot (what was cached,
 * the time a model of these {@link Speeds} takes, logged as llama-server logs it), the answer as a chat completion, a
 * stream of chunks or llama-server's own {@code /completion}, cut at the request's token limit; and its template's
 * {@code /apply-template} and {@code /tokenize}.
 */
final class Answering {
    private final String name;
    private final SlotMemory slots;
    private final AtomicInteger inFlight;
    private volatile Duration streamInterval = Duration.ZERO;
    private volatile ChatTemplate template = ChatTemplate.PLAIN;
    private volatile Speeds speeds;
    private volatile boolean jinja = true;
    private volatile java.io.PrintStream log; // where the server's own lines go (a process's stdout), or nowhere

    Answering(String name, SlotMemory slots, AtomicInteger inFlight) {
        this.name = name;
        this.slots = slots;
        this.inFlight = inFlight;
    }

    void setStreamInterval(Duration interval) {
        this.streamInterval = interval;
    }

    void setTemplate(ChatTemplate template) {
        this.template = template;
    }

    ChatTemplate template() { return template; }

    /** Without {@code --jinja}, llama-server refuses requests with tools. */
    void setJinja(boolean jinja) { this.jinja = jinja; }

    /** Whether the request has tools a server without {@code --jinja} refuses (the 500 is sent). */
    boolean refusedTools(HttpExchange exchange, JsonNode request) throws IOException {
        return !jinja && ToolCalls.refused(exchange, request);
    }

    void setSpeeds(Speeds speeds) {
        this.speeds = speeds;
    }

    void setLog(java.io.PrintStream log) { this.log = log; }

    /**
     * Answers a call that is to be answered well: evaluated in its slot, after the time to its first token.
     *
     * @param over told just before the answer's last bytes are written
     */
    void answer(HttpExchange exchange, ChatCall call, Reply reply, boolean raw, boolean stream, Runnable over)
            throws IOException, InterruptedException {
        Evaluation e = evaluate(call, reply);
        Thread.sleep(realMillis(e.promptMs())); // the time to the first token
        if (raw) {
            completeRaw(exchange, call, reply, stream, e, over);
            return;
        }
        if (stream) {
            stream(exchange, call, reply, e, over);
            return;
        }
        Thread.sleep(realMillis(e.predictedMs()));
        String body = JSON.writeValueAsString(completion(call, reply, e));
        over.run();
        send(exchange, 200, body);
    }

    /**
     * What the slot evaluated for one request: the prompt, how much of it came from the cache, the
     * answer (in tokens), and the time a model with this server's {@link Speeds} took (0 without).
     */
    record Evaluation(int promptTokens, int cached, int completionTokens, double promptMs, double predictedMs) {}
    long realMillis(double simulatedMs) {
        Speeds s = speeds;
        return s == null ? 0 : Math.round(simulatedMs / s.timeScale());
    }

    /**
     * Evaluates the prompt in its slot as llama-server counts it: the tokens (here bytes) shared with
     * what the slot last held are cached, at least the last prompt token is evaluated again, and the
     * slot then holds the prompt and the answer.
     */
    Evaluation evaluate(ChatCall call, Reply reply) {
        ChatTemplate template = this.template;
        byte[] prompt = call.promptText(template).getBytes(StandardCharsets.UTF_8);
        byte[] answer = ((reply.content() == null ? "" : reply.content()) + template.endOfAnswer()).getBytes(StandardCharsets.UTF_8);
        int slot = Math.max(0, call.slot());
        byte[] evaluated = slots.evaluated(slot);
        int cached = call.cachePrompt() ? Math.min(commonPrefix(evaluated, prompt), Math.max(0, prompt.length - 1)) : 0;
        byte[] now = java.util.Arrays.copyOf(prompt, prompt.length + answer.length);
        System.arraycopy(answer, 0, now, prompt.length, answer.length);
        slots.hold(slot, now);
        int answerBytes = Math.max(1, answer.length - template.endOfAnswer().length());
        Speeds s = speeds;
        if (s == null) {
            return new Evaluation(prompt.length, cached, answerBytes, 0, 0);
        }
        int promptTokens = s.tokens(prompt.length);
        int cachedTokens = Math.min(s.tokens(cached), Math.max(0, promptTokens - 1));
        int predicted = s.tokens(answerBytes);
        double slower = s.slowdown(inFlight.get());
        var e = new Evaluation(promptTokens, cachedTokens, predicted, s.promptSeconds(promptTokens - cachedTokens) * 1000 * slower,
                s.generateSeconds(predicted, promptTokens) * 1000 * slower);
        TimingsLines.print(log, slot, e);
        return e;
    }

    ObjectNode timings(Evaluation e, Reply reply) {
        return JSON.createObjectNode()
                .put("cache_n", e.cached())
                .put("prompt_n", e.promptTokens() - e.cached())
                .put("prompt_ms", e.promptMs())
                .put("predicted_n", e.completionTokens())
                .put("predicted_ms", speeds == null ? reply.delay().toMillis() : e.predictedMs());
    }

    ObjectNode completion(ChatCall call, Reply reply) {
        return completion(call, reply, evaluate(call, reply));
    }

    ObjectNode completion(ChatCall call, Reply reply, Evaluation e) {
        int promptTokens = e.promptTokens();
        int cached = e.cached();
        int completionTokens = e.completionTokens();
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + UUID.randomUUID())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", call.model() == null ? name : call.model())
                .put("system_fingerprint", "stand-in:" + name);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", reply.finishReason());
        choice.putObject("message").put("role", "assistant").put("content", reply.content());
        ObjectNode usage = body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
        body.set("timings", timings(e, reply));
        return body;
    }

    /**
     * llama-server's own {@code /completion}: the raw prompt, answered with {@code content},
     * {@code tokens_cached} and {@code timings}; streamed as {@code data: {"content": ..., "stop": false}}
     * chunks and a last one with {@code stop: true} and the counts.
     */
    void completeRaw(HttpExchange exchange, ChatCall call, Reply reply, boolean stream, Evaluation e, Runnable over)
            throws IOException, InterruptedException {
        String content = reply.content() == null ? "" : reply.content();
        if (!stream) {
            Thread.sleep(realMillis(e.predictedMs()));
            String body = JSON.writeValueAsString(rawResult(e, reply, content, call));
            over.run();
            send(exchange, 200, body);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (var out = exchange.getResponseBody()) {
            long perPiece = content.isEmpty() ? 0 : realMillis(e.predictedMs() * 16 / content.length());
            for (int i = 0; i < content.length(); i += 16) {
                ObjectNode chunk = JSON.createObjectNode().put("content", content.substring(i, Math.min(content.length(), i + 16)))
                        .put("stop", false).put("id_slot", Math.max(0, call.slot()));
                out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!streamInterval.isZero()) {
                    Thread.sleep(streamInterval);
                }
                Thread.sleep(perPiece);
            }
            byte[] last = ("data: " + JSON.writeValueAsString(rawResult(e, reply, "", call)) + "\n\n").getBytes(StandardCharsets.UTF_8);
            over.run();
            out.write(last);
        }
    }

    ObjectNode rawResult(Evaluation e, Reply reply, String content, ChatCall call) {
        ObjectNode body = JSON.createObjectNode()
                .put("content", content)
                .put("id_slot", Math.max(0, call.slot()))
                .put("stop", true)
                .put("stop_type", "length".equals(reply.finishReason()) ? "limit" : "eos")
                .put("tokens_predicted", e.completionTokens())
                .put("tokens_evaluated", e.promptTokens())
                .put("tokens_cached", e.cached());
        body.set("timings", timings(e, reply));
        return body;
    }

    /**
     * Server-sent events as llama-server streams them: the content in pieces of about 16 characters,
     * {@code streamInterval} apart, then a chunk with the finish reason, usage and timings, then [DONE].
     */
    void stream(HttpExchange exchange, ChatCall call, Reply reply, Evaluation e, Runnable over)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (var out = exchange.getResponseBody()) {
            String content = reply.content() == null ? "" : reply.content();
            // calls the answer writes go back as tool_calls where the request offered tools, as llama-server parses them
            List<ToolCalls.Call> calls = ToolCalls.offered(call.request()) ? ToolCalls.in(content) : List.of();
            if (!calls.isEmpty()) {
                content = ToolCalls.text(content);
            }
            long perPiece = content.isEmpty() ? 0 : realMillis(e.predictedMs() * 16 / content.length());
            for (int i = 0; i < content.length(); i += 16) {
                String piece = content.substring(i, Math.min(content.length(), i + 16));
                out.write(("data: " + JSON.writeValueAsString(Wire.delta(name, piece, null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!streamInterval.isZero()) {
                    Thread.sleep(streamInterval);
                }
                Thread.sleep(perPiece);
            }
            for (int i = 0; i < calls.size(); i++) { // a chunk per call, as llama-server streams them
                out.write(("data: " + JSON.writeValueAsString(Wire.toolCallDelta(name, i, calls.get(i))) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            ObjectNode last = Wire.delta(name, null, calls.isEmpty() ? reply.finishReason() : "tool_calls");
            ObjectNode whole = completion(call, reply, e);
            last.set("usage", whole.get("usage"));
            last.set("timings", whole.get("timings"));
            byte[] end = ("data: " + JSON.writeValueAsString(last) + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
            over.run();
            out.write(end);
        }
    }

    /**
     * A well-behaved answer longer than the request's {@code max_tokens} (chat) or {@code n_predict}
     * (raw) is cut there, as a real server stops generating: {@code finish_reason} "length"; with {@code ignore_eos}
     * it goes on to there. Tokens here are characters (bytes, for the ASCII answers of scripted models).
     */
    Reply limited(Reply reply, JsonNode request) {
        int tokens = request.path("max_tokens").asInt(request.path("n_predict").asInt(-1));
        int limit = speeds == null || tokens <= 0 ? tokens : tokens * speeds.bytesPerToken();
        if (reply.fault() != Reply.Fault.NONE || reply.status() != 200 || reply.content() == null || limit <= 0) {
            return reply;
        }
        String content = reply.content() + (request.path("ignore_eos").asBoolean(false) ? ".".repeat(limit) : "");
        return content.length() <= limit ? reply : Reply.truncated(content.substring(0, limit)).after(reply.delay());
    }

    /** {@code {"messages": [...]}} rendered by the server's template, with the generation prompt. */
    void applyTemplate(HttpExchange exchange) throws IOException {
        JsonNode request = jsonBody(exchange);
        if (request == null || refusedTools(exchange, request)) {
            return;
        }
        String prompt = template.render(toCall(request).messages(),
                request.path("chat_template_kwargs").path("enable_thinking").asBoolean(true));
        send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("prompt", prompt)));
    }

    /** {@code {"content": "..."}}: its tokens. */
    void tokenize(HttpExchange exchange) throws IOException {
        JsonNode request = jsonBody(exchange);
        if (request == null) {
            return;
        }
        int count = tokens(request.path("content").asString("").getBytes(StandardCharsets.UTF_8).length);
        var tokens = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            tokens.add(i % 256);
        }
        send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().set("tokens", tokens)));
    }

    int tokens(int bytes) {
        Speeds s = speeds;
        return s == null ? bytes : s.tokens(bytes);
    }

    /** A raw prompt read back into messages by the server's template, so responders see a chat. */
    ChatCall rawCall(JsonNode asked) {
        Speeds s = speeds;
        JsonNode request = ChatCall.withTextPrompt(asked, s == null ? 1 : s.bytesPerToken());
        JsonNode schema = request.path("json_schema").path("title");
        return new ChatCall(request.path("model").asString(null), template.parse(request.path("prompt").asString("")),
                schema.isMissingNode() ? null : schema.asString(), request);
    }
}
