package dev.familiar.grandpa.runtime.supervise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last lines of a llama-server's log, and what they say: each device's buffer sizes as the server
 * allocated them, how fast its requests really were ({@link ServerTimings}), and how often its prompt cache
 * missed ("Common part does not match fully", the line behind the seed's 26 misses).
 */
public final class LogDigest {
    /** llama.cpp ({@code load_tensors: CUDA0 model buffer size = 1234.56 MiB}, {@code llama_kv_cache: CUDA0 KV buffer size},
     * a hybrid model's recurrent state {@code llama_memory_recurrent: CUDA0 RS buffer size}, counted with the KV cache
     * as the plan counts it), ik_llama.cpp ({@code llm_load_tensors: CUDA_Host buffer size = ...}) and compute buffers
     * (ik_llama.cpp 8337e4cd3 logs those from {@code llama_init_from_model}, older builds from
     * {@code llama_new_context_with_model}). */
    private static final Pattern BUFFER = Pattern.compile(
            "(?:load_tensors|llm_load_tensors|llama_kv_cache(?:_init)?|llama_memory_recurrent|sched_reserve"
                    + "|llama_new_context_with_model|llama_init_from_model):\\s+"
                    + "(\\S+)\\s+(model buffer|KV buffer|RS buffer|compute buffer|buffer) size\\s*=\\s*([0-9.]+) MiB");
    /** {@code prompt eval time =  123.45 ms /  2048 tokens (...)}, and the generation's {@code eval time = ...} line. */
    private static final Pattern PROMPT_EVAL = Pattern.compile("prompt eval time =\\s*([0-9.]+) ms /\\s*(\\d+) tokens");
    private static final Pattern EVAL = Pattern.compile("(?<!prompt )eval time =\\s*([0-9.]+) ms /\\s*(\\d+) tokens");
    private static final String CACHE_MISS = "Common part does not match fully";

    private final int keep;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Map<String, Double> buffers = new LinkedHashMap<>();
    private long cacheMisses;
    private ServerTimings timings = ServerTimings.NONE;

    public LogDigest(int keep) {
        this.keep = keep;
    }

    public synchronized void accept(String line) {
        if (tail.size() == keep) {
            tail.removeFirst();
        }
        tail.addLast(line);
        Matcher m = BUFFER.matcher(line);
        if (m.find()) {
            String kind = switch (m.group(2)) {
                case "KV buffer", "RS buffer" -> "kv";
                case "compute buffer" -> "compute";
                default -> "weights";
            };
            buffers.merge(m.group(1) + " " + kind, Double.parseDouble(m.group(3)), Double::sum);
        }
        if (line.contains("eval time")) { // two lines a request: the patterns run on those only
            Matcher prompt = PROMPT_EVAL.matcher(line);
            Matcher eval = EVAL.matcher(line);
            if (prompt.find()) {
                timings = timings.withPrompt(Integer.parseInt(prompt.group(2)), Double.parseDouble(prompt.group(1)));
            } else if (eval.find()) {
                timings = timings.withGeneration(Integer.parseInt(eval.group(2)), Double.parseDouble(eval.group(1)));
            }
        }
        if (line.contains(CACHE_MISS)) {
            cacheMisses++;
        }
    }

    public synchronized List<String> tail() {
        return new ArrayList<>(tail);
    }

    /** "CUDA0 weights" → MiB, as logged (summed when a device logs several buffers of one kind). */
    public synchronized Map<String, Double> buffersMiB() {
        return new LinkedHashMap<>(buffers);
    }

    /** The fastest long enough prompt's and answer's speed since the server (re)started. */
    public synchronized ServerTimings timings() {
        return timings;
    }

    public synchronized long cacheMisses() {
        return cacheMisses;
    }

    /** A new process starts a new log: buffers and timings are read again (misses keep adding up). */
    public synchronized void restarted() {
        buffers.clear();
        timings = ServerTimings.NONE;
    }
}
