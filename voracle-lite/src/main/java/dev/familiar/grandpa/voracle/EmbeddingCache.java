package dev.familiar.grandpa.voracle;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embeddings of texts already seen, kept in a file so a restart does not compute a big vault's again
 * (an embedding is a few milliseconds of CPU; 5,000 notes take two minutes on two cores). A record is
 * the SHA-256 of the text and its vector; records are only ever appended, and a file cut short by a crash
 * is read up to its last whole record. Without a file, it keeps them in memory only.
 */
final class EmbeddingCache {
    private final EmbeddingModel model;
    private final Path file;
    private final Map<String, float[]> known = new ConcurrentHashMap<>();
    private int computed;

    EmbeddingCache(EmbeddingModel model, Path file) throws IOException {
        this.model = model;
        this.file = file;
        if (file != null && Files.exists(file)) {
            read();
        }
    }

    /** The text's embedding: known, or computed (and kept). */
    synchronized float[] vector(String text) {
        String key = key(text);
        float[] vector = known.get(key);
        if (vector == null) {
            vector = model.embed(text).content().vector();
            known.put(key, vector);
            computed++;
            append(key, vector);
        }
        return vector;
    }

    /** A question's embedding: computed, never kept (questions do not come back the way notes do). */
    float[] once(String text) {
        return model.embed(text).content().vector();
    }

    /** How many embeddings were computed rather than found: how much a restart cost. */
    synchronized int computed() {
        return computed;
    }

    private void read() throws IOException {
        long whole = 0; // where the last whole record ends
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file)); var data = new DataInputStream(in)) {
            while (true) {
                byte[] hash = new byte[32];
                data.readFully(hash);
                float[] vector = new float[data.readInt()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = data.readFloat();
                }
                known.put(HexFormat.of().formatHex(hash), vector);
                whole += hash.length + 4 + 4L * vector.length;
            }
        } catch (EOFException e) {
            // the end, or a record cut short by a crash: what came before stands, the rest is cut off so the
            // records appended next are read back whole
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(whole);
            }
        }
    }

    private void append(String key, float[] vector) {
        if (file == null) {
            return;
        }
        var record = ByteBuffer.allocate(32 + 4 + 4 * vector.length); // one write a record, big-endian as read back
        record.put(HexFormat.of().parseHex(key)).putInt(vector.length);
        for (float f : vector) {
            record.putFloat(f);
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, record.array(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep an embedding in " + file, e);
        }
    }

    private static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
