package dev.familiar.grandpa.voracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.context.ContextItem;
import dev.familiar.grandpa.context.McpConnection;
import dev.familiar.grandpa.context.McpEndpoint;
import dev.familiar.grandpa.context.McpToolSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar run as grandpa runs it, over stdio, and as a service over streamable HTTP, on a real
 * vault: words and meaning both find notes, the index follows the files, links out are not followed.
 */
class VoracleLiteIT {
    static final Path JAR = Path.of("target/voracle-lite.jar").toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path vault;

    @BeforeAll
    static void aVault() throws IOException {
        Files.writeString(vault.resolve("Billing runbook.md"), """
                ---
                tags: [billing, ops]
                ---
                # Billing service runbook

                When the billing service is down, restart it with `systemctl restart billing` and check /healthz.
                Invoices queue up meanwhile and are sent once it is back.

                ## Limits
                See [[Rate limits]] for what clients may send.
                """);
        Files.writeString(vault.resolve("Rate limits.md"), """
                # Rate limits in the homelab
                Clients get 429 after 100 requests a minute; the limit lives in RateLimiter. #ops
                Related: [[Billing runbook|the runbook]].
                """);
        Files.createDirectories(vault.resolve("kitchen"));
        Files.writeString(vault.resolve("kitchen/Sourdough.md"), """
                # Sourdough
                Feed the starter with flour and water the night before; bake at 250 degrees for 40 minutes. #cooking
                """);
        Files.createDirectories(vault.resolve(".obsidian"));
        Files.writeString(vault.resolve(".obsidian/workspace.md"), "# Workspace\nsystemctl billing internal state");
        Path outside = Files.writeString(vault.getParent().resolve("outside-" + vault.getFileName() + ".md"),
                "# Secret\nthe billing database password is hunter2");
        Files.createSymbolicLink(vault.resolve("link-out.md"), outside);
    }

    static McpConnection stdio() {
        return new McpConnection("voracle-lite", new McpEndpoint.Process(List.of(JAVA, "-jar", JAR.toString(),
                "--vault=" + vault, "--stdio")), Duration.ofSeconds(60));
    }

    static List<ContextItem> search(McpConnection server, Map<String, Object> arguments) {
        return new McpToolSource(server, "search").find("notes", arguments);
    }

    @Test
    void wordsAndMeaningFindNotesAndTheIndexFollowsTheFiles() throws IOException {
        try (var server = stdio()) {
            assertThat(server.tools()).extracting(t -> t.name()).containsExactlyInAnyOrder("search", "read_note");

            List<ContextItem> byWords = search(server, Map.of("query", "systemctl restart"));
            assertThat(byWords.getFirst().reference()).isEqualTo("Billing service runbook (Billing runbook.md) #billing #ops");
            assertThat(byWords.getFirst().text()).contains("systemctl restart billing", "Links: [[Rate limits]]");
            // nothing shared but the meaning: the invoicing app is the billing service, getting it running is a restart
            List<ContextItem> byMeaning = search(server, Map.of("query", "the invoicing app crashed, how do I get it going again",
                    "limit", 1));
            assertThat(byMeaning).singleElement().satisfies(i -> assertThat(i.reference()).startsWith("Billing service runbook"));
            assertThat(search(server, Map.of("query", "bread", "tag", "cooking")).getFirst().reference())
                    .isEqualTo("Sourdough (kitchen/Sourdough.md) #cooking");
            assertThat(search(server, Map.of("query", "billing", "tag", "cooking"))).extracting(ContextItem::reference)
                    .allMatch(r -> r.contains("#cooking"));

            // neither the hidden folder nor the link out of the vault is read
            assertThat(search(server, Map.of("query", "billing password hunter2 internal state", "limit", 20)))
                    .extracting(ContextItem::text).noneMatch(t -> t.contains("hunter2") || t.contains("internal state"));
            assertThatThrownBy(() -> new McpToolSource(server, "read_note").find("notes", Map.of("path", "link-out.md")))
                    .hasMessageContaining("no note at link-out.md");
            assertThatThrownBy(() -> new McpToolSource(server, "read_note").find("notes",
                    Map.of("path", "../outside-" + vault.getFileName() + ".md"))).hasMessageContaining("no note at");

            Path backups = Files.writeString(vault.resolve("Backups.md"), "# Backups\nrestic snapshots go to the storage box nightly.");
            assertThat(search(server, Map.of("query", "restic")).getFirst().reference()).startsWith("Backups");
            Files.delete(backups);
            assertThat(search(server, Map.of("query", "restic"))).extracting(ContextItem::reference)
                    .noneMatch(r -> r.startsWith("Backups"));

            assertThat(new McpToolSource(server, "read_note").find("notes", Map.of("path", "Rate limits.md")).getFirst().text())
                    .contains("Clients get 429");
        }
    }

    @Test
    void overStreamableHttpWithABearerToken() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var builder = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--vault=" + vault, "--server.port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("VORACLE_LITE_TOKEN", "notes-token-5e1");
        Process process = builder.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> listening(port));
            URI url = URI.create("http://127.0.0.1:" + port + "/mcp");
            try (var server = new McpConnection("voracle-lite", new McpEndpoint.Http(url, false, "notes-token-5e1"),
                    Duration.ofSeconds(30))) {
                assertThat(search(server, Map.of("query", "429 too many requests")).getFirst().reference())
                        .startsWith("Rate limits in the homelab");
            }
            try (var server = new McpConnection("voracle-lite", new McpEndpoint.Http(url, false, "wrong"),
                    Duration.ofSeconds(30))) {
                assertThatThrownBy(() -> search(server, Map.of("query", "429"))).isInstanceOf(RuntimeException.class);
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean listening(int port) {
        try (var socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
