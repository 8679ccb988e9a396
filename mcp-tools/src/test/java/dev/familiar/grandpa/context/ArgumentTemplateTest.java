package dev.familiar.grandpa.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentTemplateTest {
    static final ContextQuery SUBTASK = new ContextQuery("Limit requests", "Rate limiting for billing", "billing",
            "Wrap `Handler.serve` in a limiter", List.of("src/Handler.java"), List.of("Handler.serve", "RateLimiter"));

    @Test
    void placeholdersAreFilledFromTheQuery() {
        var template = new ArgumentTemplate(Map.of("symbol", "{symbols}", "repo", "{repository}", "q", "{query}", "limit", "5"));
        assertThat(template.fill(SUBTASK)).isEqualTo(Map.of("symbol", "Handler.serve, RateLimiter", "repo", "billing",
                "q", "Limit requests\nWrap `Handler.serve` in a limiter", "limit", "5"));
    }

    @Test
    void anArgumentWithNothingToSayIsLeftOutAndAToolWithNothingAtAllIsNotAsked() {
        var task = ContextQuery.task("Add /healthz", "a health endpoint", null);
        assertThat(new ArgumentTemplate(Map.of("q", "{query}", "repo", "{repository}")).fill(task))
                .isEqualTo(Map.of("q", "Add /healthz\na health endpoint"));
        assertThat(new ArgumentTemplate(Map.of("symbol", "{symbols}", "limit", "5")).fill(task)).isEmpty();
    }

    @Test
    void anUnknownPlaceholderIsAConfigurationError() {
        assertThatThrownBy(() -> new ArgumentTemplate(Map.of("q", "{question}")))
                .hasMessageContaining("argument q names {question}, which is none of [query, title");
    }
}
