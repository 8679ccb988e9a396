package dev.familiar.grandpa.argus.bench;

import dev.familiar.grandpa.argus.BenchAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * argus-lite's index on a repository of {@code files} source files (default 10,000, in 100 directories,
 * Java, Python, TypeScript and Go in turn, each with a type and a few functions that call each other):
 * the first read (git's objects, tree-sitter, the maps), {@code queries} searches (default 500, each a
 * question of two code words and a symbol, answered as the search tool does: the 8 best definitions,
 * each with where it is used) with their p50/p99, and the re-read after a commit that
 * changes 20 files. Run: {@code ./mvnw -q -pl argus-lite exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.familiar.grandpa.argus.bench.CodeIndexBenchmark [-Dexec.args="files=10000"]}.
 */
public final class CodeIndexBenchmark {
    static final String[] WORDS = {"invoice", "payment", "customer", "limit", "rate", "retry", "ledger", "report",
            "account", "refund", "session", "token", "cache", "queue", "backup", "health", "metric", "order", "price", "tax"};

    public static void main(String[] args) throws Exception {
        int files = 10_000;
        int queries = 500;
        for (String arg : args) {
            if (arg.startsWith("files=")) {
                files = Integer.parseInt(arg.substring(6));
            } else if (arg.startsWith("queries=")) {
                queries = Integer.parseInt(arg.substring(8));
            }
        }
        Path repo = Files.createTempDirectory("argus-bench");
        var random = new Random(42);
        for (int i = 0; i < files; i++) {
            write(repo, i, random, 0);
        }
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "generated");

        long start = System.nanoTime();
        var index = BenchAccess.index(repo);
        long firstMs = (System.nanoTime() - start) / 1_000_000;

        var times = new ArrayList<Long>();
        int found = 0;
        for (int q = 0; q < queries; q++) {
            String a = WORDS[random.nextInt(WORDS.length)];
            String b = WORDS[random.nextInt(WORDS.length)];
            String symbol = type(random.nextInt(files));
            long t = System.nanoTime();
            found += BenchAccess.answer(index, "Change how the " + a + " " + b + " works in " + symbol, List.of(symbol));
            times.add(System.nanoTime() - t);
        }
        for (int i = 0; i < 20; i++) {
            write(repo, random.nextInt(files), random, 1);
        }
        git(repo, "commit", "-q", "-am", "twenty files changed");
        long t = System.nanoTime();
        BenchAccess.refresh(index);
        long againMs = (System.nanoTime() - t) / 1_000_000;

        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "files=%d definitions=%d first read %d ms; search p50 %.2f ms p99 %.2f ms "
                        + "(%d uses found in %d searches); re-read after 20 changed files %d ms; heap used %d MiB%n",
                files, BenchAccess.definitions(index), firstMs, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, found, queries, againMs,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    static String type(int i) {
        return Character.toUpperCase(WORDS[i % WORDS.length].charAt(0)) + WORDS[i % WORDS.length].substring(1)
                + Character.toUpperCase(WORDS[(i / WORDS.length) % WORDS.length].charAt(0))
                + WORDS[(i / WORDS.length) % WORDS.length].substring(1) + i;
    }

    static void write(Path repo, int i, Random random, int version) throws Exception {
        String type = type(i);
        String call = type((i + 1) % 10_000);
        String word = WORDS[random.nextInt(WORDS.length)];
        Path dir = Files.createDirectories(repo.resolve("module" + (i % 100)));
        String text = switch (i % 4) {
            case 0 -> "package m;\n\npublic class " + type + " {\n    int " + word + "Count = " + version + ";\n\n"
                    + "    public int " + word + "(int x) {\n        return new " + call + "()." + word + "(x) + 1;\n    }\n\n"
                    + "    void reset" + type + "() {\n        " + word + "Count = 0;\n    }\n}\n";
            case 1 -> "class " + type + ":\n    def " + word + "_total(self, x):\n        return " + call + "().run(x) + "
                    + version + "\n\n\ndef make_" + word + "_" + i + "():\n    return " + type + "()\n";
            case 2 -> "export interface " + type + " { " + word + ": number }\n\nexport function " + word + i + "(x: "
                    + type + "): number {\n  return x." + word + " + " + version + ";\n}\n";
            default -> "package m\n\ntype " + type + " struct{ " + capital(word) + " int }\n\nfunc (t " + type + ") "
                    + capital(word) + "() int { return t." + capital(word) + " + " + version + " }\n";
        };
        String extension = new String[] {"java", "py", "ts", "go"}[i % 4];
        Files.writeString(dir.resolve(type + "." + extension), text);
    }

    private static String capital(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    static void git(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }
}
