package dev.familiar.grandpa.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker against real MCP servers run over stdio. */
class ContextBrokerIT {
    static McpContextSource source(String name, String fixture, long delayMs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new McpContextSource(name, List.of(java, "-cp", System.getProperty("java.class.path"),
                FixtureMcpServer.class.getName(), fixture, String.valueOf(delayMs)), "search", "query", Duration.ofSeconds(20));
    }

    @Test
    void bothSourcesAreAskedAndThePackIsDedupedOrderedAndRenderedTheSameEveryTime() {
        try (var argus = source("argus", "symbols", 0); var voracle = source("voracle", "notes", 0)) {
            var broker = new ContextBroker(List.of(new ContextBroker.Budgeted(argus, Duration.ofSeconds(20), 1000),
                    new ContextBroker.Budgeted(voracle, Duration.ofSeconds(20), 1000)));
            ContextPack pack = broker.gather("Add rate limiting to the billing service");

            assertThat(pack.problems()).isEmpty();
            assertThat(pack.items()).extracting(ContextItem::reference).containsExactly(
                    "RateLimiter (billing/src/main/java/billing/RateLimiter.java)",
                    "Invoice (billing/src/main/java/billing/Invoice.java)",
                    "HealthController (billing/src/main/java/billing/HealthController.java)",
                    "Rate limits in the homelab", "Billing service runbook"); // the duplicate note is left out
            assertThat(pack.render()).startsWith("Context:\n\n### argus: RateLimiter")
                    .contains("### voracle: Billing service runbook\nRestart with systemctl restart billing");
            assertThat(broker.gather("Add rate limiting to the billing service").render()).isEqualTo(pack.render());
        }
    }

    @Test
    void aSlowSourceIsLeftOutWithAProblemAndBudgetsCutEachSourcesTail() {
        try (var argus = source("argus", "symbols", 0); var voracle = source("voracle", "notes", 3000)) {
            argus.find("warm"); // the first call starts the server process
            voracle.find("warm");
            var broker = new ContextBroker(List.of(new ContextBroker.Budgeted(argus, Duration.ofSeconds(20), 40),
                    new ContextBroker.Budgeted(voracle, Duration.ofMillis(500), 1000)));
            ContextPack pack = broker.gather("rate limiting for billing");

            assertThat(pack.problems()).containsExactly("voracle: no answer within 500 ms");
            // argus finds three symbols; the first (27 tokens) fits its budget of 40, the second would not
            assertThat(pack.items()).extracting(ContextItem::reference)
                    .containsExactly("RateLimiter (billing/src/main/java/billing/RateLimiter.java)");
            assertThat(pack.tokens()).isLessThanOrEqualTo(40);
        }
    }
}
