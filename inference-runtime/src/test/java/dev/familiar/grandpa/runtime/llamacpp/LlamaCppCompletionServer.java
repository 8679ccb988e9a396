package dev.familiar.grandpa.runtime.llamacpp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real llama.cpp (its server code, through the de.kherud:llama JNI binding) behind llama-server's
 * {@code /completion} HTTP shape, streamed; run as its own process ({@link #main}), since llama.cpp
 * logs to the process's standard output, where the test reads what it did with its slot ("kv cache rm
 * [N, end)": N tokens kept). The binding returns text only, so the counts in the answer are taken as
 * llama-server takes them, with the model's own tokenizer: the prompt's tokens, and as cached the
 * longest common token prefix with what the slot last held (the previous prompt and answer). Free
 * text is held to lowercase letters and spaces by a grammar, since random weights write arbitrary
 * bytes; a request's {@code json_schema} becomes llama.cpp's grammar for it.
 */
final class LlamaCppCompletionServer {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LlamaModel model;
    private final HttpServer http;
    /** What the slot holds: the last prompt and its answer, as tokens. */
    private int[] slot = new int[0];

    /** {@code LlamaCppCompletionServer <model.gguf>}: serves on a free port and prints {@code LISTENING <port>}. */
    public static void main(String[] args) throws IOException {
        var server = new LlamaCppCompletionServer(Path.of(args[0]));
        System.out.println("LISTENING " + server.http.getAddress().getPort());
        System.out.flush();
    }

    private LlamaCppCompletionServer(Path gguf) throws IOException {
        this.model = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(4096).setThreads(2)
                .setParallel(1));
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/completion", this::complete);
        http.createContext("/tokenize", this::tokenize);
        http.start();
    }

    /** A text's tokens, for the test: {@code POST /tokenize} with the text as the body, the count as the answer. */
    private void tokenize(HttpExchange exchange) throws IOException {
        try (exchange) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] count = String.valueOf(model.encode(text).length).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, count.length);
            exchange.getResponseBody().write(count);
        }
    }

    private synchronized void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String prompt = request.path("prompt").asString();
            String grammar = request.has("json_schema")
                    ? LlamaModel.jsonSchemaToGrammar(JSON.writeValueAsString(request.path("json_schema")))
                    : "root ::= [a-z] [a-z ]*";
            int limit = request.path("n_predict").asInt(-1);
            var parameters = new InferenceParameters(prompt).setNPredict(limit < 0 ? 48 : limit)
                    .setCachePrompt(request.path("cache_prompt").asBoolean(true)).setGrammar(grammar)
                    .setTemperature(0.8f).setSeed(7);
            int[] promptTokens = model.encode(prompt);
            int common = Arrays.mismatch(slot, promptTokens);
            int cached = Math.min(common < 0 ? slot.length : common, Math.max(0, promptTokens.length - 1));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            var out = exchange.getResponseBody();
            int predicted = 0;
            int generated = 0;
            var answer = new StringBuilder();
            long start = System.nanoTime();
            for (LlamaOutput piece : model.generate(parameters)) {
                generated++;
                if (!piece.text.isEmpty()) {
                    predicted++;
                    answer.append(piece.text);
                    ObjectNode chunk = JSON.createObjectNode().put("content", piece.text).put("stop", false);
                    out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
            slot = model.encode(prompt + answer);
            // as llama-server says it: "limit" when generation stopped at n_predict
            String stopType = limit > 0 && generated >= limit ? "limit" : "eos";
            ObjectNode last = JSON.createObjectNode().put("content", "").put("stop", true).put("stop_type", stopType)
                    .put("tokens_evaluated", promptTokens.length).put("tokens_predicted", predicted).put("tokens_cached", cached);
            last.putObject("timings").put("cache_n", cached).put("prompt_n", promptTokens.length - cached)
                    .put("predicted_n", predicted).put("predicted_ms", (System.nanoTime() - start) / 1e6);
            out.write(("data: " + JSON.writeValueAsString(last) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
