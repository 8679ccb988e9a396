package dev.familiar.grandpa.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.context.ContextQuery;
import dev.familiar.grandpa.core.testing.Stored;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a subtask's pack is asked with: its instructions, what the plan says it needs, and what they name. */
class SubtaskQueryTest {
    static Subtask subtask(String needs) {
        return new Subtask(UUID.randomUUID(), UUID.randomUUID(), 1, "impl", "Limit requests",
                "Wrap `Handler.serve` in the limiter.", "code", "code", List.of(), List.of("429 after 100 a minute"),
                SubtaskStatus.PENDING, null, null, null, needs);
    }

    @Test
    void whatThePlanSaysASubtaskNeedsIsAskedForToo() {
        var task = Stored.task().goal("Rate limits", "Add rate limiting to billing").repo("billing", null).build();
        ContextQuery plain = TaskContext.query(task, subtask(null));
        assertThat(plain.instructions()).isEqualTo("Wrap `Handler.serve` in the limiter.");
        assertThat(plain.symbols()).containsExactly("Handler.serve");

        ContextQuery needing = TaskContext.query(task, subtask("How `RateLimiter.allow` counts, src/billing/Limits.java"));
        assertThat(needing.instructions()).isEqualTo(
                "Wrap `Handler.serve` in the limiter.\nHow `RateLimiter.allow` counts, src/billing/Limits.java");
        assertThat(needing.symbols()).containsExactly("Handler.serve", "RateLimiter.allow", "RateLimiter");
        assertThat(needing.files()).containsExactly("src/billing/Limits.java");
        assertThat(needing.values().get("query")).isEqualTo("Limit requests\n" + needing.instructions());
        assertThat(needing.repository()).isEqualTo("billing");
    }
}
