package dev.familiar.grandpa.argus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.context.ContextItem;
import dev.familiar.grandpa.context.McpConnection;
import dev.familiar.grandpa.context.McpEndpoint;
import dev.familiar.grandpa.context.McpToolSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar over stdio, as grandpa runs it, on a real git repository in four languages and its bare mirror. */
class ArgusLiteIT {
    static final Path JAR = Path.of("target/argus-lite.jar").toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path dir;
    static Path repo;
    static Path mirror;

    @BeforeAll
    static void aRepository() throws Exception {
        repo = Files.createDirectories(dir.resolve("billing"));
        write("src/main/java/billing/RateLimiter.java", """
                package billing;

                /** Lets a client through at most so many times a minute. */
                public class RateLimiter {
                    private final int perMinute;

                    public RateLimiter(int perMinute) {
                        this.perMinute = perMinute;
                    }

                    public boolean allow(String client) {
                        return client != null && perMinute > 0;
                    }
                }
                """);
        write("src/main/java/billing/Handler.java", """
                package billing;

                class Handler {
                    private final RateLimiter limiter = new RateLimiter(100);

                    String serve(String client) {
                        return limiter.allow(client) ? "ok" : "429";
                    }
                }
                """);
        write("tools/limits.py", """
                class LimitConfig:
                    def __init__(self, per_minute):
                        self.per_minute = per_minute


                def parse_limits(text):
                    return LimitConfig(int(text))
                """);
        write("web/client.ts", """
                export interface Invoice { id: string; cents: number }

                export function totalCents(invoices: Invoice[]): number {
                  return invoices.reduce((sum, i) => sum + i.cents, 0);
                }

                export class InvoiceClient {
                  fetchAll(): Promise<Invoice[]> { return Promise.resolve([]); }
                }
                """);
        write("cmd/health.go", """
                package main

                type Health struct{ Ok bool }

                func (h Health) Status() string {
                	if h.Ok {
                		return "ok"
                	}
                	return "down"
                }

                func healthz() Health { return Health{Ok: true} }
                """);
        Path outside = Files.writeString(dir.resolve("outside.py"), "def leaked_secret():\n    return 'hunter2'\n");
        Files.createSymbolicLink(repo.resolve("secret.py"), outside);
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "billing");
        mirror = dir.resolve("mirror.git");
        git(dir, "clone", "-q", "--bare", repo.toString(), mirror.toString());
    }

    static void write(String path, String text) throws IOException {
        Files.createDirectories(repo.resolve(path).getParent());
        Files.writeString(repo.resolve(path), text);
    }

    static void git(Path where, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@localhost"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    static List<ContextItem> ask(McpConnection server, String tool, Map<String, Object> arguments) {
        return new McpToolSource(server, tool).find("code-symbols", arguments);
    }

    @Test
    void definitionsAndReferencesInFourLanguagesFollowTheRepositoryAsItMoves() throws Exception {
        try (var server = new McpConnection("argus-lite", new McpEndpoint.Process(List.of(JAVA, "-jar", JAR.toString(),
                "--repo=billing=" + repo, "--repo=mirror=" + mirror + "@refs/heads/main", "--stdio")), Duration.ofSeconds(60))) {
            assertThat(server.tools()).extracting(t -> t.name()).containsExactlyInAnyOrder("search", "definition", "references");

            List<ContextItem> limiting = ask(server, "search", Map.of("query", "Add rate limiting to the billing service",
                    "repository", "billing"));
            assertThat(limiting.getFirst().reference()).isEqualTo("class RateLimiter (src/main/java/billing/RateLimiter.java:4)");
            assertThat(limiting.getFirst().text()).contains("public boolean allow(String client)",
                    "used 2 times: Handler (src/main/java/billing/Handler.java:4)");

            assertThat(ask(server, "search", Map.of("query", "read the limits", "symbols", "parse_limits",
                    "repository", "billing")).getFirst().reference()).isEqualTo("function parse_limits (tools/limits.py:6)");
            assertThat(ask(server, "definition", Map.of("symbol", "Health.Status", "repository", "billing")))
                    .singleElement().satisfies(d -> {
                        assertThat(d.reference()).isEqualTo("method Health.Status (cmd/health.go:5)");
                        assertThat(d.text()).startsWith("func (h Health) Status() string {");
                    });
            assertThat(ask(server, "definition", Map.of("symbol", "totalCents", "repository", "billing")))
                    .extracting(ContextItem::reference).containsExactly("function totalCents (web/client.ts:3)");
            assertThat(ask(server, "definition", Map.of("symbol", "InvoiceClient.fetchAll", "repository", "mirror")))
                    .extracting(ContextItem::reference).containsExactly("method InvoiceClient.fetchAll (web/client.ts:8)");
            assertThat(ask(server, "definition", Map.of("symbol", "LimitConfig.__init__", "repository", "billing")))
                    .extracting(ContextItem::reference).containsExactly("method LimitConfig.__init__ (tools/limits.py:2)");
            assertThat(ask(server, "references", Map.of("symbol", "allow", "repository", "billing")))
                    .extracting(ContextItem::reference, ContextItem::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("src/main/java/billing/Handler.java:7 in Handler.serve",
                            "return limiter.allow(client) ? \"ok\" : \"429\";"));
            // a link is a blob to git: what it points at is never read
            assertThat(ask(server, "definition", Map.of("symbol", "leaked_secret", "repository", "billing"))).isEmpty();

            write("cmd/ready.go", "package main\n\nfunc readyz() bool { return healthz().Ok }\n");
            Files.delete(repo.resolve("tools/limits.py"));
            git(repo, "add", "-A");
            git(repo, "commit", "-q", "-m", "readyz, no limits.py");
            assertThat(ask(server, "definition", Map.of("symbol", "readyz", "repository", "billing")))
                    .extracting(ContextItem::reference).containsExactly("func readyz (cmd/ready.go:3)");
            assertThat(ask(server, "definition", Map.of("symbol", "parse_limits", "repository", "billing"))).isEmpty();
            assertThat(ask(server, "references", Map.of("symbol", "healthz", "repository", "billing")))
                    .extracting(ContextItem::reference).containsExactly("cmd/ready.go:3 in readyz");
            // the mirror moves only when it is fetched
            assertThat(ask(server, "definition", Map.of("symbol", "readyz", "repository", "mirror"))).isEmpty();
            git(mirror, "fetch", "-q", repo.toString(), "main:main");
            assertThat(ask(server, "definition", Map.of("symbol", "readyz", "repository", "mirror"))).hasSize(1);

            assertThatThrownBy(() -> ask(server, "search", Map.of("query", "x", "repository", "nope")))
                    .hasMessageContaining("no repository nope; there are [billing, mirror]");
        }
    }
}
