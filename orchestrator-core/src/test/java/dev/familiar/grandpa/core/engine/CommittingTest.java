package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.evaluation.Judgement;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.workspace.repo.Committed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a passed change becomes after the branch answered, and how long a failing step pauses. */
class CommittingTest {
    final Attempt attempt = Stored.attempt().id(7).build();
    final Judgement passed = new Judgement(Verdict.PASS, 0.9, "good", List.of("tests: passed"), JudgedBy.GRANDPA);

    @Test
    void aChangeOnTheBranchIsAcceptedAtItsCommit() {
        assertThat(Committing.after(new Committed.Applied("abc123", true), passed, attempt))
                .isEqualTo(new Committing.Accept(passed, "abc123"));
    }

    @Test
    void aChangeThatNoLongerAppliesIsMadeAgainWithTheFailedMergeAsItsCheck() {
        var revise = (Committing.Revise) Committing.after(new Committed.Conflict("CONFLICT in Notes.md"), passed, attempt);
        assertThat(revise.judgement().verdict()).isEqualTo(Verdict.REVISE);
        assertThat(revise.judgement().judgedBy()).isEqualTo(JudgedBy.INTEGRATION);
        assertThat(revise.judgement().feedback()).contains("no longer applies", "CONFLICT in Notes.md");
        assertThat(revise.merge().name()).isEqualTo("merge");
        assertThat(revise.merge().passed()).isFalse();
        assertThat(revise.merge().attemptId()).isEqualTo(7L);
    }

    @Test
    void aFailingStepPausesLongerEachTimeUpToAMinute() {
        assertThat(Backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.after(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(Backoff.after(7)).isEqualTo(Duration.ofMinutes(1));
        assertThat(Backoff.after(40)).isEqualTo(Duration.ofMinutes(1));
    }
}
