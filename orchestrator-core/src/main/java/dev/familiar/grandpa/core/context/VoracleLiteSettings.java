package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.McpEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The notes server shipped with grandpa ({@code grandpa.context.voracle-lite.*}): given a vault, grandpa
 * starts it over stdio as the connection {@code voracle-lite}, which plays the {@code notes} role unless
 * the configuration gives that role to another server.
 *
 * @param vault the folder of Markdown notes (an Obsidian vault); none: not started
 * @param jar   its jar, as {@code ./mvnw package} builds it
 * @param cache where it keeps the vault's embeddings between runs (a file per vault), so a restart does not
 *              compute them again
 */
record VoracleLiteSettings(Path vault, @DefaultValue("voracle-lite/target/voracle-lite.jar") Path jar,
                           @DefaultValue("data/voracle-lite") Path cache) {
    static final String CONNECTION = "voracle-lite";
    static final String ROLE = "notes";

    /** The connection to start, by name; none without a vault. */
    Map<String, McpEndpoint> endpoints() {
        if (vault == null) {
            return Map.of();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Map.of(CONNECTION, new McpEndpoint.Process(List.of(java, "-jar", jar.toAbsolutePath().toString(),
                "--vault=" + vault.toAbsolutePath(), "--cache=" + cacheFile().toAbsolutePath(), "--stdio")));
    }

    /** One file per vault: two vaults never share embeddings by accident of a name. */
    Path cacheFile() {
        String path = vault.toAbsolutePath().normalize().toString();
        return cache.resolve("embeddings-" + Integer.toHexString(path.hashCode()) + ".bin");
    }
}
