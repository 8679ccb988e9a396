package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ArgumentTemplate;
import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.ContextItem;
import dev.familiar.grandpa.context.ContextPack;
import dev.familiar.grandpa.context.ContextQuery;
import dev.familiar.grandpa.context.ContextRole;
import dev.familiar.grandpa.context.McpConnection;
import dev.familiar.grandpa.context.McpEndpoint;
import dev.familiar.grandpa.context.McpToolSource;
import dev.familiar.grandpa.context.TokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What context costs in tokens and time, with argus-lite and voracle-lite run as grandpa runs them (jars
 * over stdio) on a generated repository (200 Java services that call each other) and vault (300 notes,
 * some about the services): for {@code tasks} tasks (default 20), each a goal naming a method and three
 * subtasks naming what they change, the tokens grandpa's plan gets (the task's pack), what the coders get
 * with a pack of each subtask's own against each coder getting the task's pack, and the raw tool results
 * the packs are made from; and how long a pack takes to gather (p50/p99). Tokens are estimated at 4
 * characters a token (no model server here). Build first ({@code ./mvnw -q install -DskipTests}), then
 * {@code ./mvnw -q -pl orchestrator-core exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.familiar.grandpa.core.context.ContextPackBenchmark}.
 */
public final class ContextPackBenchmark {
    static final String[] VERBS = {"retry", "cache", "limit", "audit", "batch"};

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0].replace("tasks=", "")) : 20;
        Path root = Files.createTempDirectory("context-bench");
        Path repo = Files.createDirectories(root.resolve("shop"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(Files.createDirectories(repo.resolve("src/shop/s" + (i % 10))).resolve(service(i) + ".java"), """
                    package shop;

                    /** Handles %1$s requests for the shop. */
                    public class %2$s {
                        private final %3$s next = new %3$s();

                        public int handle(int order) {
                            return next.handle(order) + %4$d;
                        }

                        public void %1$s(int order) {
                            next.%5$s(order);
                        }
                    }
                    """.formatted(VERBS[i % 5], service(i), service((i + 1) % 200), i, VERBS[(i + 1) % 5]));
        }
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "shop");
        Path vault = Files.createDirectories(root.resolve("notes"));
        for (int i = 0; i < 300; i++) {
            Files.writeString(vault.resolve("Note " + i + ".md"), "# " + service(i % 200) + " " + VERBS[i % 5] + "\n"
                    + service(i % 200) + " must " + VERBS[i % 5] + " orders in batches of " + i + "; decided in review "
                    + i + " after an outage of the shop's " + VERBS[(i + 2) % 5] + " path.\n");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (var argus = new McpConnection("argus-lite", new McpEndpoint.Process(List.of(java, "-jar",
                Path.of("argus-lite/target/argus-lite.jar").toAbsolutePath().toString(), "--repo=shop=" + repo, "--stdio")),
                Duration.ofSeconds(120));
             var voracle = new McpConnection("voracle-lite", new McpEndpoint.Process(List.of(java, "-jar",
                     Path.of("voracle-lite/target/voracle-lite.jar").toAbsolutePath().toString(), "--vault=" + vault, "--stdio")),
                     Duration.ofSeconds(120))) {
            var symbols = new ContextRole("code-symbols", new McpToolSource(argus, "search"), new ArgumentTemplate(Map.of(
                    "query", "{query}", "symbols", "{symbols}", "repository", "{repository}")), Duration.ofSeconds(60), 2000);
            var notes = new ContextRole("notes", new McpToolSource(voracle, "search"), ArgumentTemplate.query("query"),
                    Duration.ofSeconds(60), 2000);
            var broker = new ContextBroker(List.of(symbols, notes), TokenCounter.ESTIMATE);
            broker.gather(ContextQuery.task("warm", "warm up both servers", "shop"), 4000);

            long plan = 0;
            long perSubtask = 0;
            int taskHas = 0;
            int subtaskHas = 0;
            long raw = 0;
            var times = new ArrayList<Long>();
            for (int t = 0; t < tasks; t++) {
                String target = service(t * 7 % 200);
                String verb = VERBS[t % 5];
                String goal = "Make `" + target + "." + verb + "` retry on timeouts";
                long start = System.nanoTime();
                ContextPack taskPack = broker.gather(query(goal, null, goal), 4000);
                times.add(System.nanoTime() - start);
                plan += taskPack.tokens();
                taskHas += taskPack.render().contains("class " + target + " (") ? 1 : 0;
                raw += rawTokens(List.of(symbols, notes), query(goal, null, goal));
                for (String instructions : List.of(
                        "Change `" + target + "." + verb + "` in src/shop/s" + (t * 7 % 200 % 10) + "/" + target
                                + ".java to retry three times on a timeout.",
                        "Add tests for `" + target + "` that make the next service time out.",
                        "Write down in the notes why `" + target + "` retries and how often.")) {
                    start = System.nanoTime();
                    ContextPack own = broker.gather(query(goal, instructions, instructions), 1500);
                    times.add(System.nanoTime() - start);
                    perSubtask += own.tokens();
                    subtaskHas += own.render().contains("class " + target + " (") ? 1 : 0;
                    raw += rawTokens(List.of(symbols, notes), query(goal, instructions, instructions));
                }
            }
            long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%d tasks, 3 subtasks each, tokens a task (estimated): grandpa's plan %d; "
                            + "coders with their own packs %d, with the task's pack each %d; raw tool results %d; "
                            + "gathering a pack p50 %.0f ms p99 %.0f ms; the class the task is about is in %d of %d task packs "
                            + "and %d of %d subtask packs%n", tasks, plan / tasks, perSubtask / tasks,
                    3 * plan / tasks, raw / tasks, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                    taskHas, tasks, subtaskHas, 3 * tasks);
        }
    }

    static ContextQuery query(String goal, String instructions, String text) {
        Mentions.Found named = Mentions.in(text);
        return new ContextQuery(instructions == null ? goal : "subtask", goal, "shop", instructions, named.files(),
                named.symbols());
    }

    /** Everything the roles' tools answer, before fusion, deduplication and the budget. */
    static long rawTokens(List<ContextRole> roles, ContextQuery query) throws Exception {
        long tokens = 0;
        for (ContextRole role : roles) {
            for (ContextItem item : role.source().find(role.name(), role.arguments().fill(query))) {
                tokens += TokenCounter.estimate(item.reference() + "\n" + item.text());
            }
        }
        return tokens;
    }

    static String service(int i) {
        return "Shop" + VERBS[i % 5].substring(0, 1).toUpperCase(Locale.ROOT) + VERBS[i % 5].substring(1) + "Service" + i;
    }

    static void git(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"));
        command.addAll(List.of(args));
        if (new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }
}
