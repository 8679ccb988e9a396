package dev.familiar.grandpa.voracle;

import dev.familiar.grandpa.serving.McpServing;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * voracle-lite: a folder of Markdown notes (an Obsidian vault) searched by keyword and by meaning over
 * MCP. {@code --vault=DIR [--cache=FILE] --stdio} speaks MCP on standard input and output (what grandpa starts);
 * {@code --vault=DIR [--server.port=8090]} serves streamable HTTP at {@code /mcp} on 127.0.0.1, asking
 * for {@code VORACLE_LITE_TOKEN} as a bearer token where that variable is set.
 */
@SpringBootApplication
@Import(McpServing.class)
public class VoracleLite {

    public static void main(String[] args) {
        McpServing.main(VoracleLite.class, args);
    }

    /** @param cache where the vault's embeddings are kept between runs ({@code --cache=FILE}); none: not kept */
    @Bean(destroyMethod = "close")
    NotesIndex notesIndex(@Value("${vault}") Path vault, @Value("${cache:#{null}}") Path cache) throws IOException {
        var index = new NotesIndex(vault, new EmbeddingCache(new AllMiniLmL6V2QuantizedEmbeddingModel(), cache));
        index.readInBackground();
        return index;
    }

    @Bean
    NotesTools notesTools(NotesIndex index) {
        return new NotesTools(index);
    }
}
