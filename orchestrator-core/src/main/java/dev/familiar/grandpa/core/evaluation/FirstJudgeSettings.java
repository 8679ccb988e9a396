package dev.familiar.grandpa.core.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A judge before grandpa ({@code grandpa.first-judge.*}): a cheaper chat backend reads an output that
 * passed its checks and decides when it is sure, so grandpa's model judges only the rest. Off unless
 * {@code backend} names one of the configured backends.
 *
 * @param backend       the backend that judges first (an OpenAI-compatible one), or null: grandpa judges all
 * @param confidence    the least confidence (0 to 1) at which its verdict stands; below it grandpa judges
 * @param maxTokens     the most it may write for one verdict; a verdict cut off at this is not one
 * @param withoutChecks whether it also judges outputs that had no checks to pass (answers outside a
 *                      repository, or a repository without checks); off, since then nothing backs its
 *                      "pass" but itself
 */
@ConfigurationProperties("grandpa.first-judge")
public record FirstJudgeSettings(
        String backend,
        @DefaultValue("0.8") double confidence,
        @DefaultValue("600") int maxTokens,
        @DefaultValue("false") boolean withoutChecks) {

    public FirstJudgeSettings {
        backend = backend == null || backend.isBlank() ? null : backend.strip();
        if (confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("grandpa.first-judge.confidence is between 0 and 1, not " + confidence);
        }
        if (maxTokens < 16) {
            throw new IllegalArgumentException("grandpa.first-judge.max-tokens must leave room for a verdict (16 or more)");
        }
    }

    public boolean enabled() {
        return backend != null;
    }
}
