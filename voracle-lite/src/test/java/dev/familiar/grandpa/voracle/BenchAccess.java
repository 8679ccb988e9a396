package dev.familiar.grandpa.voracle;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.nio.file.Path;

/** The benchmark's way in to the package's index (test code only). */
public final class BenchAccess {
    private BenchAccess() {}

    public static AutoCloseable index(Path vault, Path cache) throws IOException {
        var index = new NotesIndex(vault, new EmbeddingCache(new AllMiniLmL6V2QuantizedEmbeddingModel(), cache));
        index.refresh();
        return index;
    }

    public static int search(AutoCloseable index, String query) throws IOException {
        return ((NotesIndex) index).search(query, 5, null).size();
    }

    public static int size(AutoCloseable index) {
        return ((NotesIndex) index).size();
    }
}
