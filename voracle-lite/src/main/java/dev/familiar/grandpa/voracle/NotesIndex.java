package dev.familiar.grandpa.voracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's notes in an in-memory Lucene index, a piece of a note per document: its words (English
 * stemming, the title weighted double) and its meaning (an all-MiniLM-L6-v2 embedding). A search ranks
 * by both and fuses the two rankings by reciprocal rank, one hit per note. Before each search the vault
 * is looked at again and the notes changed, added or deleted since are indexed anew, so the index
 * follows the files (the first reading of a big vault runs in the background). Only regular Markdown files inside the vault are read: a link is never followed.
 */
final class NotesIndex implements AutoCloseable {
    /** One hit: the note and its best-matching piece. */
    record Hit(Note note, Note.Section section, double score) {}

    private static final int K = 60;
    /**
     * The nearest pieces are kept only this near: Lucene's cosine score is {@code (1 + cos) / 2}, and
     * all-MiniLM-L6-v2 puts unrelated texts below a cosine of about 0.2, so 0.6 keeps "related" only.
     */
    private static final float NEAR = 0.6f;
    private static final int COMMIT_EVERY = 100;
    private static final long FIRST_READ_WAIT_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(NotesIndex.class);
    private final Path vault;
    private final EmbeddingCache embeddings;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final EnglishAnalyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final Map<String, Long> indexed = new HashMap<>(); // path -> last-modified time and size, hashed
    private final Map<String, Note> notes = new ConcurrentHashMap<>();
    /** Held while the index is written: a search then answers from what is committed, without waiting. */
    private final ReentrantLock writing = new ReentrantLock();
    private final CountDownLatch firstRead = new CountDownLatch(1);

    NotesIndex(Path vault, EmbeddingCache embeddings) throws IOException {
        this.vault = vault.toRealPath();
        this.embeddings = embeddings;
        this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
    }

    Path vault() {
        return vault;
    }

    /**
     * Reads the vault for the first time on a thread of its own: a big vault takes minutes (an embedding is
     * a few milliseconds a piece), and the server answers meanwhile, from the notes read so far.
     */
    void readInBackground() {
        Thread.startVirtualThread(() -> {
            try {
                refresh();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not read the vault {}: {}", vault, e.getMessage());
            } finally {
                firstRead.countDown();
            }
        });
    }

    /** Indexes what changed in the vault since the last look; returns how many notes were (re)indexed or removed. */
    int refresh() throws IOException {
        writing.lock();
        try {
            return readChanges();
        } finally {
            writing.unlock();
        }
    }

    private int readChanges() throws IOException {
        var seen = new HashMap<String, Long>();
        try (Stream<Path> files = Files.walk(vault)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String path = vault.relativize(file).toString().replace('\\', '/');
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && path.toLowerCase().endsWith(".md")
                        && !hidden(path)) {
                    seen.put(path, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() * 31
                            + Files.size(file));
                }
            }
        }
        int changed = 0;
        for (var entry : seen.entrySet()) {
            if (!entry.getValue().equals(indexed.get(entry.getKey()))) {
                index(NoteReader.read(entry.getKey(), Files.readString(vault.resolve(entry.getKey()), StandardCharsets.UTF_8)));
                indexed.put(entry.getKey(), entry.getValue());
                if (++changed % COMMIT_EVERY == 0) {
                    writer.commit(); // searches see the notes read so far
                }
            }
        }
        for (String gone : new ArrayList<>(indexed.keySet())) {
            if (!seen.containsKey(gone)) {
                writer.deleteDocuments(new Term("path", gone));
                indexed.remove(gone);
                notes.remove(gone);
                changed++;
            }
        }
        writer.commit();
        return changed;
    }

    private void index(Note note) throws IOException {
        writer.deleteDocuments(new Term("path", note.path()));
        notes.put(note.path(), note);
        for (int i = 0; i < note.sections().size(); i++) {
            Note.Section section = note.sections().get(i);
            var doc = new Document();
            doc.add(new StringField("path", note.path(), Field.Store.YES));
            doc.add(new StoredField("section", i));
            doc.add(new TextField("title", note.title() + " " + section.heading(), Field.Store.NO));
            doc.add(new TextField("text", section.text(), Field.Store.NO));
            note.tags().forEach(tag -> doc.add(new StringField("tag", tag, Field.Store.NO)));
            String meaning = note.title() + "\n" + section.heading() + "\n" + section.text();
            doc.add(new KnnFloatVectorField("meaning", embeddings.vector(meaning),
                    VectorSimilarityFunction.COSINE));
            writer.addDocument(doc);
        }
    }

    /**
     * The notes that match the query best, by words and by meaning, at most {@code limit}, optionally with a
     * tag: the vault looked at again first, unless it is being read already (then what is read so far).
     */
    List<Hit> search(String query, int limit, String tag) throws IOException {
        try {
            firstRead.await(FIRST_READ_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writing.tryLock()) {
            try {
                readChanges();
            } finally {
                writing.unlock();
            }
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            if (reader.numDocs() == 0) {
                return List.of();
            }
            var searcher = new IndexSearcher(reader);
            Query filter = tag == null || tag.isBlank() ? new MatchAllDocsQuery()
                    : new TermQuery(new Term("tag", tag.replaceFirst("^#", "").toLowerCase()));
            int depth = Math.max(50, limit * 5);
            var scores = new LinkedHashMap<String, double[]>(); // "path#section" -> fused score
            fuse(scores, searcher, searcher.search(words(query, filter), depth).scoreDocs);
            float[] vector = embeddings.once(query);
            ScoreDoc[] near = searcher.search(new KnnFloatVectorQuery("meaning", vector, depth, filter), depth).scoreDocs;
            fuse(scores, searcher, Arrays.stream(near).filter(d -> d.score >= NEAR).toArray(ScoreDoc[]::new));
            var best = new LinkedHashMap<String, Hit>(); // one hit per note, its best piece
            scores.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> {
                String path = e.getKey().substring(0, e.getKey().lastIndexOf('#'));
                int section = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('#') + 1));
                Note note = notes.get(path);
                if (note != null && !best.containsKey(path)) {
                    best.put(path, new Hit(note, note.sections().get(section), e.getValue()[0]));
                }
            });
            return best.values().stream().limit(limit).toList();
        }
    }

    private Query words(String query, Query filter) {
        try {
            var parser = new MultiFieldQueryParser(new String[] {"title", "text"}, analyzer, Map.of("title", 2f, "text", 1f));
            Query matching = parser.parse(QueryParser.escape(query));
            return new BooleanQuery.Builder().add(matching, BooleanClause.Occur.MUST)
                    .add(filter, BooleanClause.Occur.FILTER).build();
        } catch (ParseException e) {
            return new MatchAllDocsQuery(); // escaped text always parses; only an empty one does not
        }
    }

    private static void fuse(Map<String, double[]> scores, IndexSearcher searcher, ScoreDoc[] ranked) throws IOException {
        for (int rank = 0; rank < ranked.length; rank++) {
            Document doc = searcher.storedFields().document(ranked[rank].doc);
            String key = doc.get("path") + "#" + doc.getField("section").numericValue().intValue();
            scores.computeIfAbsent(key, k -> new double[1])[0] += 1.0 / (K + rank + 1);
        }
    }

    /** A note by its path inside the vault; never a file outside it or reached through a link. */
    Optional<Note> read(String path) {
        Path file = vault.resolve(path).normalize();
        try {
            if (!file.startsWith(vault) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !file.toRealPath().startsWith(vault)) {
                return Optional.empty();
            }
            String relative = vault.relativize(file).toString().replace('\\', '/');
            return Optional.of(NoteReader.read(relative, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return notes.size();
    }

    private static boolean hidden(String path) {
        return path.startsWith(".") || path.contains("/.");
    }

    @Override
    public void close() throws IOException {
        writer.close();
        directory.close();
    }
}
