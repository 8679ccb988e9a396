package dev.familiar.grandpa.testkit.standin;

import static dev.familiar.grandpa.testkit.standin.Wire.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
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
    private volatile int totalSlots = 1;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger modelListings = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final SlotMemory slots = new SlotMemory();
    private final Answering answering;
    /** The calls kept for tests to look at: the latest ones, so a long benchmark does not fill the heap. */
    private static final int KEEP = 2_000;
    private final Deque<ChatCall> received = new ConcurrentLinkedDeque<>();
    private final Deque<Exchange> exchanges = new ConcurrentLinkedDeque<>();

    /** Any request the server got, as it came: for tests of what a client sends where (its headers). */
    public record Exchange(String method, String path, Map<String, List<String>> headers) {}

    private StandInLlamaServer(String name, HttpServer http, Responder responder) {
        this.name = name;
        this.answering = new Answering(name, slots, inFlight);
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
                    http.createContext("/slots", server.slots::handle),
                    http.createContext("/completion", server::chat),
                    http.createContext("/props", server::props),
                    http.createContext("/apply-template", server.answering::applyTemplate),
                    http.createContext("/tokenize", server.answering::tokenize))) {
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

    /** Serves as llama-server does without {@code --jinja}: requests with tools are refused. */
    public void withoutJinja() {
        answering.setJinja(false);
    }

    public void respondWith(Responder responder) {
        this.responder = responder;
    }

    /** Where {@code /slots/{id}?action=save|restore} keep slot files (llama-server's {@code --slot-save-path}). */
    public void setSlotSavePath(java.nio.file.Path dir) {
        slots.setSavePath(dir);
    }

    /** How chats are rendered into the prompt the slot evaluates (PLAIN unless set). */
    public void setTemplate(ChatTemplate template) {
        answering.setTemplate(template);
    }

    /** Take the time a real model would (null: answer at once). */
    public void setSpeeds(Speeds speeds) {
        answering.setSpeeds(speeds);
    }

    /** Log each request's timings as llama-server does (with {@link Speeds} set), here. */
    public void setLog(java.io.PrintStream log) {
        answering.setLog(log);
    }

    /** What {@code /props} says: the context of one slot, and how many slots there are. */
    public void setContext(int perSlot, int slots) {
        this.slots.setContextPerSlot(perSlot);
        this.totalSlots = slots;
    }

    /** The pause between streamed pieces of an answer, to make a stream take time. */
    public void setStreamInterval(Duration interval) {
        answering.setStreamInterval(interval);
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
                .putObject("meta").put("n_ctx", slots.contextPerSlot()).put("n_vocab", 256);
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void props(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("model_alias", name).put("chat_template", answering.template().jinja())
                .put("total_slots", totalSlots).put("build_info", "stand-in");
        body.putObject("default_generation_settings").put("n_ctx", slots.contextPerSlot());
        send(exchange, 200, JSON.writeValueAsString(body));
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
        // the call is over for the client once its last bytes go out: counted out just before, so the next
        // call a client makes on its answer never counts as running beside this one
        var counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable over = () -> {
            if (counted.getAndSet(false)) {
                inFlight.decrementAndGet();
            }
        };
        try {
            JsonNode request = jsonBody(exchange);
            if (request == null || answering.refusedTools(exchange, request)) {
                return;
            }
            boolean raw = exchange.getRequestURI().getPath().equals("/completion");
            ChatCall call = raw ? answering.rawCall(request) : toCall(request);
            keep(received, call);
            Reply reply = answering.limited(responder.answer(call), request);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay());
            }
            if (reply.hungUp()) {
                exchange.close();
                return;
            }
            if (reply.fault() != Reply.Fault.NONE) {
                Faults.misbehave(exchange, call, reply, answering, name);
                return;
            }
            if (reply.status() != 200) {
                send(exchange, reply.status(), error(reply.status(), reply.content()));
                return;
            }
            answering.answer(exchange, call, reply, raw, request.path("stream").asBoolean(false), over);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            over.run();
        }
    }

}
