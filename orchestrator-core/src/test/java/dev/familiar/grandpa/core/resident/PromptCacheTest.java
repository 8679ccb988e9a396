package dev.familiar.grandpa.core.resident;

import dev.familiar.grandpa.runtime.session.SessionSettings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.bench.PromptCacheBenchmark;
import dev.familiar.grandpa.testkit.standin.ChatTemplate;
import org.junit.jupiter.api.Test;

/**
 * grandpa's session keeps the server's prompt cache whole: a 40-request orchestration session against
 * a stand-in that counts cached tokens as the longest common prefix with its slot reuses at least
 * 95 % of prompt tokens. Dropping reasoning from the history makes the server evaluate every previous
 * answer again (the llama-server notes' "think block dropped" row).
 */
class PromptCacheTest {

    @Test
    void aSessionThatKeepsItsHistoryExactReusesTheCache() {
        var kept = PromptCacheBenchmark.run(SessionSettings.Reasoning.KEEP);
        assertThat(kept.calls()).hasSize(40);
        assertThat(kept.reuse()).isGreaterThanOrEqualTo(0.95);
        assertThat(kept.misses()).isZero();
        assertThat(kept.cacheMisses()).isZero();
        // streamed, so each call's time to its first token is measured
        assertThat(kept.calls()).allSatisfy(c -> assertThat(c.firstTokenMs()).isBetween(0L, c.wallMs()));
    }

    @Test
    void droppingReasoningFromTheHistoryMakesEveryAnswerBeEvaluatedAgain() {
        var kept = PromptCacheBenchmark.run(SessionSettings.Reasoning.KEEP);
        var dropped = PromptCacheBenchmark.run(SessionSettings.Reasoning.DROP);
        long keptWork = kept.promptTokens() - kept.cachedTokens();
        long droppedWork = dropped.promptTokens() - dropped.cachedTokens();
        assertThat(droppedWork).isGreaterThan(keptWork * 3 / 2);
        assertThat(dropped.reuse()).isLessThan(kept.reuse());
    }

    @Test
    void underQwen3sTemplateOnlyPromptsGrandpaRendersItselfKeepTheCacheWhole() {
        var chat = PromptCacheBenchmark.run(new PromptCacheBenchmark.Variant(ChatTemplate.QWEN3, SessionSettings.Api.CHAT,
                SessionSettings.Reasoning.KEEP));
        var raw = PromptCacheBenchmark.run(new PromptCacheBenchmark.Variant(ChatTemplate.QWEN3, SessionSettings.Api.COMPLETION,
                SessionSettings.Reasoning.KEEP));
        // The template renders the previous answer without its think block: every request misses from there.
        assertThat(chat.cacheMisses()).isEqualTo(39);
        assertThat(raw.cacheMisses()).isZero();
        assertThat(raw.reuse()).isGreaterThanOrEqualTo(0.95).isGreaterThan(chat.reuse());
        assertThat(raw.calls()).hasSize(40).allSatisfy(c -> assertThat(c.firstTokenMs()).isBetween(0L, c.wallMs()));
    }
}
