package dev.familiar.grandpa.runtime.launch;

import java.util.List;

/**
 * What the command needs beyond the placement: where the server and model are and how it is reached.
 *
 * @param threads      generation threads (the seed: 15 of 16 cores)
 * @param threadsBatch prompt-processing threads
 */
public record LaunchOptions(String executable, String model, String alias, String host, int port, int threads,
                            int threadsBatch, List<String> extra) {

    public LaunchOptions {
        extra = extra == null ? List.of() : List.copyOf(extra);
    }

    public static LaunchOptions of(String model) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new LaunchOptions(null, model, "grandpa", "127.0.0.1", 8000, Math.max(1, cores - 1), cores, List.of());
    }
}
