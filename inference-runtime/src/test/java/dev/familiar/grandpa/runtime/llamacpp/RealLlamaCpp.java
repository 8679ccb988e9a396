package dev.familiar.grandpa.runtime.llamacpp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Real llama.cpp on a tiny random-weight model our GGUF writer makes, in a process of its own behind
 * llama-server's {@code /completion} ({@link LlamaCppCompletionServer}); for tests of this module and
 * of the service. What llama.cpp kept in its slot for each request is read from its own log.
 */
public final class RealLlamaCpp implements AutoCloseable {
    private static final Pattern KEPT = Pattern.compile("kv cache rm \\[(\\d+), end\\)");

    private final Process process;
    private final String baseUrl;
    private final Path model;
    private final List<Integer> kept;

    private RealLlamaCpp(Process process, String baseUrl, Path model, List<Integer> kept) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.model = model;
        this.kept = kept;
    }

    /** Writes the tiny model into {@code dir} and starts llama.cpp on it; ready when this returns. */
    public static RealLlamaCpp start(Path dir) throws Exception {
        Path gguf = TinyLlamaModel.write(dir.resolve("tiny.gguf"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LlamaCppCompletionServer.class.getName(), gguf.toString()).redirectErrorStream(true).start();
        var port = new CompletableFuture<Integer>();
        var kept = new CopyOnWriteArrayList<Integer>();
        Thread.ofVirtual().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("LISTENING ")) {
                        port.complete(Integer.parseInt(line.substring(10).trim()));
                    }
                    var m = KEPT.matcher(line);
                    if (m.find()) {
                        kept.add(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the llama.cpp process ended without listening"));
        });
        try {
            return new RealLlamaCpp(process, "http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS) + "/", gguf, kept);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The server's root, {@code http://127.0.0.1:port/}. */
    public String baseUrl() {
        return baseUrl;
    }

    public Path model() {
        return model;
    }

    /** For each request served, in order, the tokens llama.cpp kept in its slot (its log's "kv cache rm"). */
    public List<Integer> kept() {
        return kept;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
