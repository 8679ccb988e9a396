package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.recovery.Rung;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ladder decides from stored history alone; these histories are what the database would hold. */
class RecoveryLadderTest {
    final RecoveryLadder ladder = new RecoveryLadder(1);
    final List<Attempt> history = new ArrayList<>();
    final Map<Long, Evaluation> evaluations = new HashMap<>();

    void attempt(String backend, AttemptStatus status, Verdict verdict) {
        attempt(backend, status, verdict, status == AttemptStatus.FAILED ? "MALFORMED_RESPONSE" : null);
    }

    void attempt(String backend, AttemptStatus status, Verdict verdict, String errorKind) {
        long id = history.size() + 1;
        var attempt = Stored.attempt().id(id).number((int) id).backend(backend).status(status);
        history.add((errorKind == null ? attempt : attempt.failed(status, errorKind, "what went wrong")).build());
        if (verdict != null) {
            evaluations.put(id, new Evaluation(id, null, null, id, verdict, 0.5, "fix " + id, List.of(), JudgedBy.GRANDPA, Instant.now()));
        }
    }

    RecoveryLadder.Call call() {
        return ladder.next(history, evaluations);
    }

    @Test
    void aFirstAttemptGoesWhereTheRouterSends() {
        assertThat(call()).isEqualTo(new RecoveryLadder.Call(null, Set.of(), null, null, null));
    }

    @Test
    void reviseRetriesOnTheSameBackendWithFeedbackThenMovesOn() {
        attempt("a", AttemptStatus.SUCCEEDED, Verdict.REVISE);
        var retry = call();
        assertThat(retry.pinned()).isEqualTo("a");
        assertThat(retry.rung()).isEqualTo(Rung.RETRY_WITH_FEEDBACK);
        assertThat(retry.feedback()).isEqualTo("fix 1");

        attempt("a", AttemptStatus.SUCCEEDED, Verdict.REVISE);
        var other = call();
        assertThat(other.pinned()).isNull();
        assertThat(other.rung()).isEqualTo(Rung.OTHER_BACKEND);
        assertThat(other.exclude()).containsExactly("a");
        assertThat(other.feedback()).isEqualTo("fix 2");
    }

    @Test
    void anErrorOrAFailVerdictGoesToAnotherBackendExcludingAllTried() {
        attempt("a", AttemptStatus.FAILED, null);
        assertThat(call().rung()).isEqualTo(Rung.OTHER_BACKEND);
        attempt("b", AttemptStatus.SUCCEEDED, Verdict.FAIL);
        assertThat(call().exclude()).containsExactlyInAnyOrder("a", "b");
        assertThat(call().reason()).contains("judge said fail", "b");
    }

    @Test
    void aBackendThatIsAwayCostsTheWorkNothingItGoesWhereverABackendCanTakeIt() {
        for (String kind : List.of("UNREACHABLE", "SERVER_ERROR", "CIRCUIT_OPEN", "CONNECTION_LOST", "RATE_LIMITED", "BUSY")) {
            history.clear();
            attempt("a", AttemptStatus.SUCCEEDED, Verdict.FAIL);
            attempt("b", AttemptStatus.FAILED, null, kind);
            var again = call();
            assertThat(again.rung()).as(kind).isNull();
            assertThat(again.pinned()).isNull();
            assertThat(again.exclude()).as("only work that failed excludes its backend").containsExactly("a");
            assertThat(again.avoid()).containsExactly("b");
        }
    }

    @Test
    void aCallThatKeepsTimingOutOnABackendThatAnswersCountsAsFailedWork() {
        attempt("a", AttemptStatus.FAILED, null, "TIMEOUT");
        attempt("a", AttemptStatus.FAILED, null, "TIMEOUT");
        assertThat(call().rung()).isNull();
        attempt("a", AttemptStatus.FAILED, null, "TIMEOUT");
        assertThat(call().rung()).isEqualTo(Rung.OTHER_BACKEND);
        assertThat(call().exclude()).containsExactly("a");
    }

    @Test
    void anInterruptedCallIsMadeAgainOnTheSameBackendWithoutClimbing() {
        attempt("a", AttemptStatus.SUCCEEDED, Verdict.REVISE);
        history.add(Stored.attempt().id(2).number(2).backend("a").feedback("fix 1")
                .failed(AttemptStatus.INTERRUPTED, "INTERRUPTED", "stopped").build());
        var again = call();
        assertThat(again.pinned()).isEqualTo("a");
        assertThat(again.rung()).isNull();
        assertThat(again.feedback()).isEqualTo("fix 1");
    }

    @Test
    void aConflictIsMadeAgainOnTheSameBackendWithoutUsingUpItsRetries() {
        for (int i = 1; i <= RecoveryLadder.CONFLICT_RETRIES; i++) {
            conflicted("a");
            var again = call();
            assertThat(again.pinned()).isEqualTo("a");
            assertThat(again.rung()).isEqualTo(Rung.CONFLICT);
            assertThat(again.feedback()).isEqualTo("conflict " + history.size());
        }
        conflicted("a"); // one conflict too many counts as a revise: its one retry with feedback comes next
        assertThat(call().rung()).isEqualTo(Rung.RETRY_WITH_FEEDBACK);
    }

    void conflicted(String backend) {
        long id = history.size() + 1;
        history.add(Stored.attempt().id(id).number((int) id).backend(backend).change("abc", "patch").build());
        evaluations.put(id, new Evaluation(id, null, null, id, Verdict.REVISE, 0.9, "conflict " + id, List.of(),
                JudgedBy.INTEGRATION, Instant.now()));
    }
}
