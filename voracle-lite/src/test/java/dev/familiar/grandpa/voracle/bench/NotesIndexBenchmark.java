package dev.familiar.grandpa.voracle.bench;

import dev.familiar.grandpa.voracle.BenchAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Random;

/**
 * voracle-lite's index on a vault of {@code notes} notes (default 5,000; front matter with tags, three
 * paragraphs of about 60 words each, wiki links): the first read (parsing, one embedding per piece,
 * Lucene), {@code queries} searches (default 200: words, and the query's own embedding) with p50/p99,
 * a search right after one note changed (the re-read is part of it), and the reading again of a restart
 * with the embeddings kept. Run: {@code ./mvnw -q -pl
 * voracle-lite exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.familiar.grandpa.voracle.bench.NotesIndexBenchmark [-Dexec.args="notes=5000"]}.
 */
public final class NotesIndexBenchmark {
    static final String[] WORDS = ("billing invoice payment customer server restart backup restic storage nightly "
            + "grafana prometheus alert disk memory gpu model llama expert layer context token prompt cache slot "
            + "postgres database index query vacuum replica network router firewall vlan dns certificate renew "
            + "kitchen bread starter flour garden tomato water schedule weekend family birthday travel train "
            + "the a of to and in is for with on when after before it this that we should must never always").split(" ");

    public static void main(String[] args) throws Exception {
        int notes = 5_000;
        int queries = 200;
        for (String arg : args) {
            if (arg.startsWith("notes=")) {
                notes = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("queries=")) {
                queries = Integer.parseInt(arg.substring(8));
            }
        }
        Path vault = Files.createTempDirectory("voracle-bench");
        var random = new Random(7);
        for (int i = 0; i < notes; i++) {
            Path dir = Files.createDirectories(vault.resolve("folder" + (i % 50)));
            Files.writeString(dir.resolve("Note " + i + ".md"), note(i, random));
        }
        Path cache = vault.resolveSibling(vault.getFileName() + ".embeddings");
        long start = System.nanoTime();
        try (var index = BenchAccess.index(vault, cache)) {
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            var times = new ArrayList<Long>();
            int found = 0;
            for (int q = 0; q < queries; q++) {
                String query = sentence(random, 8);
                long t = System.nanoTime();
                found += BenchAccess.search(index, query);
                times.add(System.nanoTime() - t);
            }
            Files.writeString(vault.resolve("folder0/Note 0.md"), note(0, random) + "\nrestic prune runs on sundays.\n");
            long t = System.nanoTime();
            BenchAccess.search(index, "when does restic prune run");
            long changedMs = (System.nanoTime() - t) / 1_000_000;
            long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "notes=%d first read %d ms (%.1f ms a note); search p50 %.1f ms p99 %.1f ms "
                            + "(%d hits in %d searches); search after one note changed %d ms; heap used %d MiB%n",
                    BenchAccess.size(index), firstMs, firstMs / (double) notes, sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6, found, queries, changedMs,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
        start = System.nanoTime();
        try (var again = BenchAccess.index(vault, cache)) {
            System.out.printf(Locale.ROOT, "a restart reads it again in %d ms with its embeddings kept (%d MiB of them)%n",
                    (System.nanoTime() - start) / 1_000_000, Files.size(cache) >> 20);
        }
    }

    static String note(int i, Random random) {
        var text = new StringBuilder("---\ntags: [" + WORDS[random.nextInt(20)] + ", " + WORDS[random.nextInt(20)]
                + "]\n---\n# " + sentence(random, 4) + " " + i + "\n\n");
        for (int p = 0; p < 3; p++) {
            text.append(sentence(random, 60)).append(" See [[Note ").append(random.nextInt(i + 1)).append("]].\n\n");
        }
        return text.toString();
    }

    static String sentence(Random random, int words) {
        var text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
