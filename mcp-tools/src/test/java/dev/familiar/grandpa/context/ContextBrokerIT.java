package dev.familiar.grandpa.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The broker against real MCP servers run over stdio. */
class ContextBrokerIT {
    static McpConnection server(String fixture, long delayMs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new McpConnection(fixture, new McpEndpoint.Process(List.of(java, "-cp", System.getProperty("java.class.path"),
                FixtureMcpServer.class.getName(), fixture, String.valueOf(delayMs))), Duration.ofSeconds(20));
    }

    static ContextRole role(String name, McpConnection server, Duration timeout, int maxTokens) {
        return new ContextRole(name, new McpToolSource(server, "search"), ArgumentTemplate.query("query"), timeout, maxTokens);
    }

    static final ContextQuery RATE_LIMITING = ContextQuery.task("Add rate limiting", "to the billing service", null);

    @Test
    void bothRolesAreAskedAndThePackIsFusedDedupedAndRenderedTheSameEveryTime() {
        try (var argus = server("symbols", 0); var voracle = server("notes", 0)) {
            var broker = new ContextBroker(List.of(role("code-symbols", argus, Duration.ofSeconds(20), 1000),
                    role("notes", voracle, Duration.ofSeconds(20), 1000)), TokenCounter.ESTIMATE);
            ContextPack pack = broker.gather(RATE_LIMITING, 4000);

            assertThat(pack.problems()).isEmpty();
            // fused: each source's first, then each one's second, ...; code-symbols before notes at equal ranks
            assertThat(pack.items()).extracting(ContextItem::reference).containsExactly(
                    "RateLimiter (billing/src/main/java/billing/RateLimiter.java)", "Rate limits in the homelab",
                    "Invoice (billing/src/main/java/billing/Invoice.java)", "Billing service runbook",
                    "HealthController (billing/src/main/java/billing/HealthController.java)");
            // the note that repeats the symbol's text is one item, ranked higher for two sources finding it
            assertThat(pack.entries().getFirst().score()).isEqualTo(1.0 / 61 + 1.0 / 63);
            assertThat(pack.cuts()).singleElement().satisfies(cut -> {
                assertThat(cut.reason()).isEqualTo(ContextPack.Reason.DUPLICATE);
                assertThat(cut.reference()).isEqualTo("Duplicate of the symbol");
            });
            assertThat(pack.countedBy()).isEqualTo("estimated at 4 characters a token");
            assertThat(pack.render()).startsWith("Context:\n\n### code-symbols: RateLimiter")
                    .contains("### notes: Billing service runbook\nRestart with systemctl restart billing");
            assertThat(broker.gather(RATE_LIMITING, 4000).render()).isEqualTo(pack.render());
        }
    }

    /** The fixture is the MCP Java SDK's stdio server, which loses answers written at once: grandpa asks one at a time. */
    @org.junit.jupiter.api.RepeatedTest(3)
    void gathersAtTheSameTimeOnOneFreshConnectionAreAllAnswered() throws Exception {
        try (var voracle = server("notes", 0); var calls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var broker = new ContextBroker(List.of(role("notes", voracle, Duration.ofSeconds(20), 1000)), TokenCounter.ESTIMATE);
            var packs = new java.util.ArrayList<java.util.concurrent.Future<ContextPack>>();
            for (String query : List.of("Write the tests", "Implement the change", "billing runbook", "rate limits")) {
                packs.add(calls.submit(() -> broker.gather(ContextQuery.task(query, "", null), 1000)));
            }
            for (var pack : packs) {
                assertThat(pack.get(30, java.util.concurrent.TimeUnit.SECONDS).cuts()).isEmpty();
            }
        }
    }

    @Test
    void aServerProcessSeesOnlyTheVariablesItIsGivenNotGrandpasOwn() {
        assertThat(System.getenv()).containsKey("JAVA_HOME"); // Maven runs the tests with it set
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (var server = new McpConnection("env", new McpEndpoint.Process(List.of(java, "-cp",
                System.getProperty("java.class.path"), FixtureMcpServer.class.getName(), "environment"),
                Map.of("NOTES_ROOT", "/srv/notes")), Duration.ofSeconds(20))) {
            String names = new McpToolSource(server, "search").find("env", Map.of("query", "x")).getFirst().text();
            assertThat(names.split(" ")).contains("NOTES_ROOT").doesNotContain("JAVA_HOME", "MAVEN_PROJECTBASEDIR");
        }
    }

    @Test
    void aLateRoleIsCutForTimeAndTheBudgetCutsTheLowestRanked() {
        try (var argus = server("symbols", 0); var voracle = server("notes", 3000)) {
            argus.tools(); // connect first: the first call starts the server process
            voracle.tools();
            TokenCounter words = new TokenCounter() {
                @Override
                public String name() {
                    return "words";
                }

                @Override
                public OptionalInt count(String text) {
                    return OptionalInt.of(text.strip().split("\\s+").length);
                }
            };
            var broker = new ContextBroker(List.of(role("code-symbols", argus, Duration.ofSeconds(20), 1000),
                    role("notes", voracle, Duration.ofMillis(500), 1000)), words);
            ContextPack pack = broker.gather(RATE_LIMITING, 21);

            assertThat(pack.cuts()).extracting(ContextPack.Cut::source, ContextPack.Cut::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("notes", ContextPack.Reason.TIME),
                    org.assertj.core.groups.Tuple.tuple("code-symbols", ContextPack.Reason.BUDGET));
            assertThat(pack.cuts().getFirst().detail()).isEqualTo("notes's search gave no answer within 500 ms");
            // the header (1 word), RateLimiter (11) and Invoice (9) fit 21; HealthController does not
            assertThat(pack.items()).extracting(ContextItem::reference).containsExactly(
                    "RateLimiter (billing/src/main/java/billing/RateLimiter.java)",
                    "Invoice (billing/src/main/java/billing/Invoice.java)");
            assertThat(pack.tokens()).isEqualTo(21);
            assertThat(pack.countedBy()).isEqualTo("words");
        }
    }
}
