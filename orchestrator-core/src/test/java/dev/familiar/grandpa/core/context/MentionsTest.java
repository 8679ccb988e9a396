package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void filesAndSymbolsAreFoundAsThePlanWritesThem() {
        var found = Mentions.in("""
                Wrap `Handler.serve()` in billing/src/main/java/billing/RateLimiter.java so that
                RateLimiter.allow decides, e.g. per client; see `parse_limits` in tools/limits.py and README.md.
                Keep version 1.2.3 as it is.""");
        assertThat(found.files()).containsExactly("billing/src/main/java/billing/RateLimiter.java", "tools/limits.py",
                "README.md");
        assertThat(found.symbols()).containsExactly("Handler.serve", "parse_limits", "RateLimiter");
    }

    @Test
    void plainProseNamesNothing() {
        var found = Mentions.in("Implement the change for the goal above. Write the tests, e.g. for the edge cases.");
        assertThat(found.files()).isEmpty();
        assertThat(found.symbols()).isEmpty();
    }
}
