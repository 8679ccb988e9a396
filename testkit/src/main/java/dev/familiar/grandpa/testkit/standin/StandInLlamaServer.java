package dev.familiar.grandpa.testkit.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small HTTP server on loopback that speaks what a real {@code llama-server} speaks: OpenAI chat
 * completions with llama-server's {@code timings} and cached-token usage, {@code /health} and
 * {@code /v1/models}. Its answers come from a {@link Responder}. It stands in for models too big
 * for a test or a laptop, and says so in every response's {@code system_fingerprint} and its log.
 *
 * <p>Tokens are bytes (a byte-level vocabulary), so counts are exact: cached tokens are the longest
 * common prefix of the prompt with what the request's slot ({@code id_slot}, else slot 0) last
 * evaluated, its prompt and its answer, as llama-server counts them; {@code cache_prompt: false}
 * caches nothing. With {@link Speeds} set it takes the time a real model would, and says so in its
 * timings (and counts a token per {@link Speeds#bytesPerToken} bytes). It also answers llama-server's
 * {@code /props} (its template, context per slot and slots), {@code /apply-template} and
 * {@code /tokenize}.
 */
public final class StandInLlamaServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandInLlamaServer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // A streamed answer ends in two small writes (the last event, then the end of the chunked body);
        // with Nagle's algorithm the second waits for the client's delayed ACK, 40 ms a call. Read by
        // the JDK's HTTP server when the first one in the process starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final HttpServer http;
    private volatile Responder responder;
    private volatile boolean loading;
    private volatile Duration streamInterval = Duration.ZERO;
    private volatile ChatTemplate template = ChatTemplate.PLAIN;
    private volatile java.nio.file.Path slotSavePath;
    private volatile Speeds speeds;
    private volatile int contextPerSlot = 32768;
    private volatile int totalSlots = 1;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger modelListings = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<Integer, byte[]> slots = new ConcurrentHashMap<>();
    /** The calls kept for tests to look at: the latest ones, so a long benchmark does not fill the heap. */
    private static final int KEEP = 2_000;
    private final Deque<ChatCall> received = new ConcurrentLinkedDeque<>();
    private final Deque<Exchange> exchanges = new ConcurrentLinkedDeque<>();

    /** Any request the server got, as it came: for tests of what a client sends where (its headers). */
    public record Exchange(String method, String path, Map<String, List<String>> headers) {}

    private StandInLlamaServer(String name, HttpServer http, Responder responder) {
        this.name = name;
        this.http = http;
        this.responder = responder;
    }

    /** Starts a server on a free loopback port. */
    public static StandInLlamaServer start(String name, Responder responder) {
        return start(name, 0, responder);
    }

    public static StandInLlamaServer start(String name, int port, Responder responder) {
        try {
            var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            var server = new StandInLlamaServer(name, http, responder);
            var recorder = new com.sun.net.httpserver.Filter() {
                @Override
                public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                    keep(server.exchanges, new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            Map.copyOf(exchange.getRequestHeaders())));
                    chain.doFilter(exchange);
                }

                @Override
                public String description() {
                    return "records every request";
                }
            };
            for (var context : List.of(http.createContext("/health", server::health),
                    http.createContext("/v1/models", server::models),
                    http.createContext("/v1/chat/completions", server::chat),
                    http.createContext("/chat/completions", server::chat),
                    http.createContext("/slots", server::slots),
                    http.createContext("/completion", server::chat),
                    http.createContext("/props", server::props),
                    http.createContext("/apply-template", server::applyTemplate),
                    http.createContext("/tokenize", server::tokenize))) {
                context.getFilters().add(recorder);
            }
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            log.info("STAND-IN model server '{}' (not a real model) listening on {}", name, server.baseUrl());
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start stand-in server " + name, e);
        }
    }

    /** The OpenAI base URL, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/v1";
    }

    public String name() {
        return name;
    }

    public void respondWith(Responder responder) {
        this.responder = responder;
    }

    /** Where {@code /slots/{id}?action=save|restore} keep slot files (llama-server's {@code --slot-save-path}). */
    public void setSlotSavePath(java.nio.file.Path dir) {
        this.slotSavePath = dir;
    }

    /** The pause between streamed pieces of an answer, to make a stream take time. */
    /** How chats are rendered into the prompt the slot evaluates (PLAIN unless set). */
    public void setTemplate(ChatTemplate template) {
        this.template = template;
    }

    /** Take the time a real model would (null: answer at once). */
    public void setSpeeds(Speeds speeds) {
        this.speeds = speeds;
    }

    /** What {@code /props} says: the context of one slot, and how many slots there are. */
    public void setContext(int perSlot, int slots) {
        this.contextPerSlot = perSlot;
        this.totalSlots = slots;
    }

    public void setStreamInterval(Duration interval) {
        this.streamInterval = interval;
    }

    /** While loading, {@code /health} and chat answer 503, as llama-server does before the model is in memory. */
    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    public int calls() {
        return calls.get();
    }

    /** The chat calls received so far (the latest 2,000), in order of arrival. */
    public List<ChatCall> received() {
        return List.copyOf(received);
    }

    private static <T> void keep(Deque<T> kept, T item) {
        kept.addLast(item);
        while (kept.size() > KEEP) {
            kept.pollFirst();
        }
    }

    /** The requests so far (the latest 2,000), chat or not, with their headers. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The most chat calls this server has had in progress at once. */
    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void health(HttpExchange exchange) throws IOException {
        if (loading) {
            send(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}");
        } else {
            send(exchange, 200, "{\"status\":\"ok\"}");
        }
    }

    /** How often {@code /v1/models} was asked for (health probes ask it). */
    public int modelListings() {
        return modelListings.get();
    }

    private void models(HttpExchange exchange) throws IOException {
        modelListings.incrementAndGet();
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.putArray("data").addObject()
                .put("id", name)
                .put("object", "model")
                .put("owned_by", "stand-in")
                .putObject("meta").put("n_ctx", contextPerSlot).put("n_vocab", 256);
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void props(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("model_alias", name).put("chat_template", template.jinja())
                .put("total_slots", totalSlots).put("build_info", "stand-in");
        body.putObject("default_generation_settings").put("n_ctx", contextPerSlot);
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    /** {@code {"messages": [...]}} rendered by the server's template, with the generation prompt. */
    private void applyTemplate(HttpExchange exchange) throws IOException {
        JsonNode request = jsonBody(exchange);
        if (request == null) {
            return;
        }
        String prompt = template.render(toCall(request).messages(),
                request.path("chat_template_kwargs").path("enable_thinking").asBoolean(true));
        send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("prompt", prompt)));
    }

    /** {@code {"content": "..."}}: its tokens. */
    private void tokenize(HttpExchange exchange) throws IOException {
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

    /** The request's JSON body, or null when it is none (the 400 is sent). */
    private JsonNode jsonBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return JSON.readTree(in);
        } catch (RuntimeException e) {
            send(exchange, 400, error(400, "request body is not JSON"));
            return null;
        }
    }

    private int tokens(int bytes) {
        Speeds s = speeds;
        return s == null ? bytes : s.tokens(bytes);
    }

    /**
     * {@code GET /slots} lists the slots; {@code POST /slots/{id}?action=save|restore} with
     * {@code {"filename": ...}} writes or reads a slot's evaluated tokens; {@code action=erase} clears it.
     */
    private void slots(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("GET".equals(exchange.getRequestMethod()) && path.equals("/slots")) {
            var list = JSON.createArrayNode();
            slots.forEach((id, tokens) -> list.addObject().put("id", id).put("n_ctx", contextPerSlot)
                    .put("is_processing", false).put("n_prompt_tokens", tokens.length));
            send(exchange, 200, JSON.writeValueAsString(list));
            return;
        }
        String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
        int id;
        try {
            id = Integer.parseInt(path.substring("/slots/".length()));
        } catch (RuntimeException e) {
            send(exchange, 400, error(400, "no slot in " + path));
            return;
        }
        String filename;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            filename = body.length == 0 ? null : JSON.readTree(body).path("filename").asString(null);
        }
        try {
            switch (query) {
                case "action=save" -> {
                    byte[] tokens = slots.getOrDefault(id, new byte[0]);
                    java.nio.file.Files.write(slotFile(filename), tokens);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("filename", filename).put("n_saved", tokens.length).put("n_written", tokens.length)));
                }
                case "action=restore" -> {
                    byte[] tokens = java.nio.file.Files.readAllBytes(slotFile(filename));
                    slots.put(id, tokens);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("filename", filename).put("n_restored", tokens.length).put("n_read", tokens.length)));
                }
                case "action=erase" -> {
                    byte[] old = slots.remove(id);
                    send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("id_slot", id)
                            .put("n_erased", old == null ? 0 : old.length)));
                }
                default -> send(exchange, 400, error(400, "action is save, restore or erase"));
            }
        } catch (IllegalStateException | java.nio.file.NoSuchFileException e) {
            send(exchange, 400, error(400, e.getMessage()));
        }
    }

    private java.nio.file.Path slotFile(String filename) {
        if (slotSavePath == null) {
            throw new IllegalStateException("slot saving is off: the server has no slot save path");
        }
        if (filename == null || !filename.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalStateException("a plain file name is needed, not " + filename);
        }
        return slotSavePath.resolve(filename);
    }

    private void chat(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, error(405, "use POST"));
            return;
        }
        if (loading) {
            send(exchange, 503, error(503, "Loading model"));
            return;
        }
        calls.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            JsonNode request = jsonBody(exchange);
            if (request == null) {
                return;
            }
            boolean raw = exchange.getRequestURI().getPath().equals("/completion");
            ChatCall call = raw ? rawCall(request) : toCall(request);
            keep(received, call);
            Reply reply = limited(responder.answer(call), request);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay());
            }
            if (reply.hungUp()) {
                exchange.close();
                return;
            }
            if (reply.fault() != Reply.Fault.NONE) {
                misbehave(exchange, call, reply);
                return;
            }
            if (reply.status() != 200) {
                send(exchange, reply.status(), error(reply.status(), reply.content()));
                return;
            }
            Evaluation e = evaluate(call, reply);
            Thread.sleep(realMillis(e.promptMs())); // the time to the first token
            if (raw) {
                completeRaw(exchange, call, reply, request.path("stream").asBoolean(false), e);
                return;
            }
            if (request.path("stream").asBoolean(false)) {
                stream(exchange, call, reply, e);
                return;
            }
            Thread.sleep(realMillis(e.predictedMs()));
            send(exchange, 200, JSON.writeValueAsString(completion(call, reply, e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * A well-behaved answer longer than the request's {@code max_tokens} (chat) or {@code n_predict}
     * (raw) is cut there, as a real server stops generating: {@code finish_reason} "length". Tokens
     * here are characters (bytes, for the ASCII answers of scripted models).
     */
    private Reply limited(Reply reply, JsonNode request) {
        int tokens = request.path("max_tokens").asInt(request.path("n_predict").asInt(-1));
        int limit = speeds == null || tokens <= 0 ? tokens : tokens * speeds.bytesPerToken();
        if (reply.fault() != Reply.Fault.NONE || reply.status() != 200 || reply.content() == null || limit <= 0
                || reply.content().length() <= limit) {
            return reply;
        }
        return Reply.truncated(reply.content().substring(0, limit)).after(reply.delay());
    }

    private void misbehave(HttpExchange exchange, ChatCall call, Reply reply) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        switch (reply.fault()) {
            case RAW_BODY -> send(exchange, 200, reply.content());
            case TRUNCATED_BODY -> {
                byte[] whole = JSON.writeValueAsBytes(completion(call, Reply.text("a complete answer")));
                exchange.sendResponseHeaders(200, whole.length);
                exchange.getResponseBody().write(whole, 0, whole.length / 2);
                exchange.getResponseBody().flush();
                exchange.close();
            }
            case ENDLESS_BODY -> {
                exchange.sendResponseHeaders(200, 0); // chunked, no end promised
                var out = exchange.getResponseBody();
                out.write('{');
                for (int i = 0; i < 600; i++) { // a minute at most, then give up on the client
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
                exchange.close();
            }
            case ENDLESS_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                for (int i = 0; i < 600; i++) { // a minute at most, then give up on the client
                    out.write(("data: " + JSON.writeValueAsString(delta("tok ", null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100);
                }
                exchange.close();
            }
            case HUGE_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                byte[] piece = ("data: " + JSON.writeValueAsString(delta("x".repeat(64 * 1024), null)) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 16 * 1024; i++) { // 1 GiB of answer, until the client hangs up
                    out.write(piece);
                }
                out.flush();
                exchange.close();
            }
            case CUT_STREAM -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                var out = exchange.getResponseBody();
                String half = reply.content().substring(0, reply.content().length() / 2);
                out.write(("data: " + JSON.writeValueAsString(delta(half, null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                // Thrown out of the handler, the server drops the connection without ending the chunked body.
                throw new IOException("stand-in " + name + " cut the stream off");
            }
            case NONE -> throw new IllegalStateException();
        }
    }

    /**
     * Server-sent events as llama-server streams them: the content in pieces of about 16 characters,
     * {@code streamInterval} apart, then a chunk with the finish reason, usage and timings, then [DONE].
     */
    private void stream(HttpExchange exchange, ChatCall call, Reply reply, Evaluation e)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (var out = exchange.getResponseBody()) {
            String content = reply.content() == null ? "" : reply.content();
            long perPiece = content.isEmpty() ? 0 : realMillis(e.predictedMs() * 16 / content.length());
            for (int i = 0; i < content.length(); i += 16) {
                String piece = content.substring(i, Math.min(content.length(), i + 16));
                out.write(("data: " + JSON.writeValueAsString(delta(piece, null)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!streamInterval.isZero()) {
                    Thread.sleep(streamInterval);
                }
                Thread.sleep(perPiece);
            }
            ObjectNode last = delta(null, reply.finishReason());
            ObjectNode whole = completion(call, reply, e);
            last.set("usage", whole.get("usage"));
            last.set("timings", whole.get("timings"));
            out.write(("data: " + JSON.writeValueAsString(last) + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private ObjectNode delta(String content, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", "chatcmpl-stream")
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", name);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        } else {
            choice.putNull("finish_reason");
        }
        return chunk;
    }

    /**
     * What the slot evaluated for one request: the prompt, how much of it came from the cache, the
     * answer (in tokens), and the time a model with this server's {@link Speeds} took (0 without).
     */
    private record Evaluation(int promptTokens, int cached, int completionTokens, double promptMs, double predictedMs) {}

    private long realMillis(double simulatedMs) {
        Speeds s = speeds;
        return s == null ? 0 : Math.round(simulatedMs / s.timeScale());
    }

    /**
     * Evaluates the prompt in its slot as llama-server counts it: the tokens (here bytes) shared with
     * what the slot last held are cached, at least the last prompt token is evaluated again, and the
     * slot then holds the prompt and the answer.
     */
    private Evaluation evaluate(ChatCall call, Reply reply) {
        ChatTemplate template = this.template;
        byte[] prompt = call.promptText(template).getBytes(StandardCharsets.UTF_8);
        byte[] answer = ((reply.content() == null ? "" : reply.content()) + template.endOfAnswer()).getBytes(StandardCharsets.UTF_8);
        int slot = Math.max(0, call.slot());
        byte[] evaluated = slots.getOrDefault(slot, new byte[0]);
        int cached = call.cachePrompt() ? Math.min(commonPrefix(evaluated, prompt), Math.max(0, prompt.length - 1)) : 0;
        byte[] now = java.util.Arrays.copyOf(prompt, prompt.length + answer.length);
        System.arraycopy(answer, 0, now, prompt.length, answer.length);
        slots.put(slot, now);
        int answerBytes = Math.max(1, answer.length - template.endOfAnswer().length());
        Speeds s = speeds;
        if (s == null) {
            return new Evaluation(prompt.length, cached, answerBytes, 0, 0);
        }
        int promptTokens = s.tokens(prompt.length);
        int cachedTokens = Math.min(s.tokens(cached), Math.max(0, promptTokens - 1));
        int predicted = s.tokens(answerBytes);
        double slower = s.slowdown(inFlight.get());
        return new Evaluation(promptTokens, cachedTokens, predicted,
                s.promptSeconds(promptTokens - cachedTokens) * 1000 * slower,
                s.generateSeconds(predicted, promptTokens) * 1000 * slower);
    }

    private ObjectNode timings(Evaluation e, Reply reply) {
        return JSON.createObjectNode()
                .put("cache_n", e.cached())
                .put("prompt_n", e.promptTokens() - e.cached())
                .put("prompt_ms", e.promptMs())
                .put("predicted_n", e.completionTokens())
                .put("predicted_ms", speeds == null ? reply.delay().toMillis() : e.predictedMs());
    }

    private ObjectNode completion(ChatCall call, Reply reply) {
        return completion(call, reply, evaluate(call, reply));
    }

    private ObjectNode completion(ChatCall call, Reply reply, Evaluation e) {
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
    private void completeRaw(HttpExchange exchange, ChatCall call, Reply reply, boolean stream, Evaluation e)
            throws IOException, InterruptedException {
        String content = reply.content() == null ? "" : reply.content();
        if (!stream) {
            Thread.sleep(realMillis(e.predictedMs()));
            send(exchange, 200, JSON.writeValueAsString(rawResult(e, reply, content, call)));
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
            out.write(("data: " + JSON.writeValueAsString(rawResult(e, reply, "", call)) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private ObjectNode rawResult(Evaluation e, Reply reply, String content, ChatCall call) {
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

    /** A raw prompt read back into messages by the server's template, so responders see a chat. */
    private ChatCall rawCall(JsonNode request) {
        JsonNode schema = request.path("json_schema").path("title");
        return new ChatCall(request.path("model").asString(null), template.parse(request.path("prompt").asString("")),
                schema.isMissingNode() ? null : schema.asString(), request);
    }

    private static ChatCall toCall(JsonNode request) {
        List<ChatCall.Message> messages = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            messages.add(new ChatCall.Message(m.path("role").asString(), content(m.path("content"))));
        }
        JsonNode schema = request.path("response_format").path("json_schema").path("name");
        return new ChatCall(request.path("model").asString(null), messages,
                schema.isMissingNode() ? null : schema.asString(), request);
    }

    /** Content is a string or an array of parts ({@code {"type":"text","text":...}}). */
    private static String content(JsonNode content) {
        if (!content.isArray()) {
            return content.asString("");
        }
        var text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int mismatch = java.util.Arrays.mismatch(a, 0, n, b, 0, n);
        return mismatch < 0 ? n : mismatch;
    }

    private static String error(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("type", "server_error");
        return JSON.writeValueAsString(body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
