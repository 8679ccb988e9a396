package dev.familiar.grandpa.voracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    /** A stand-in embedding model (not a model): a text's vector is its length and its first letter. */
    static final class Lengths implements EmbeddingModel {
        int calls;

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            calls += segments.size();
            return Response.from(segments.stream().map(s -> Embedding.from(new float[] {s.text().length(),
                    s.text().isEmpty() ? 0 : s.text().charAt(0)})).toList());
        }
    }

    @Test
    void aRestartFindsTheVaultsEmbeddingsInsteadOfComputingThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache/embeddings.bin");
        var first = new Lengths();
        var cache = new EmbeddingCache(first, file);
        assertThat(cache.vector("restic prune")).containsExactly(12f, 'r');
        cache.vector("restic prune");
        cache.vector("sourdough");
        cache.once("a question");
        assertThat(first.calls).isEqualTo(3);
        assertThat(cache.computed()).isEqualTo(2);

        var second = new Lengths();
        var again = new EmbeddingCache(second, file);
        assertThat(again.vector("sourdough")).containsExactly(9f, 's');
        assertThat(again.vector("restic prune")).containsExactly(12f, 'r');
        assertThat(second.calls).isZero();

        // a record cut short by a crash: what came before stands, the cut one is computed again
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        var third = new Lengths();
        var cut = new EmbeddingCache(third, file);
        cut.vector("restic prune");
        cut.vector("sourdough");
        assertThat(third.calls).isEqualTo(1);
        var fourth = new Lengths();
        var afterwards = new EmbeddingCache(fourth, file); // the record appended after the cut reads back whole
        assertThat(afterwards.vector("sourdough")).containsExactly(9f, 's');
        assertThat(fourth.calls).isZero();
    }
}
