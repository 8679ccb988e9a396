package dev.familiar.grandpa.core.evaluation;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.core.testing.ScriptedGrandpa;
import dev.familiar.grandpa.runtime.session.ModelAnswerException;
import dev.familiar.grandpa.runtime.session.ModelUnavailableException;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Judging with a scripted grandpa: checks first, then the verdict in its schema. */
class EvaluatorTest {
    static final Task TASK = Stored.task().goal("t", "Add a /healthz endpoint").build();
    static final Subtask SUBTASK = new Subtask(UUID.randomUUID(), TASK.id(), 1, "impl", "Implement it", "Write the handler",
            "code", "code", List.of(), List.of("answers 200"), SubtaskStatus.PENDING, null, null, null, null);

    @Test
    void anEmptyOrCutOffOutputIsJudgedByTheChecksAloneWithoutAskingGrandpa() {
        var grandpa = new ScriptedGrandpa();
        var evaluator = new Evaluator(grandpa);
        var empty = evaluator.evaluate(TASK, SUBTASK, "  ", false);
        assertThat(empty.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(empty.judgedBy()).isEqualTo(JudgedBy.CHECKS);
        var cut = evaluator.evaluate(TASK, SUBTASK, "half an answ", true);
        assertThat(cut.verdict()).isEqualTo(Verdict.REVISE);
        assertThat(cut.feedback()).contains("cut off");
        assertThat(grandpa.asked()).isEmpty();
    }

    @Test
    void grandpasVerdictIsReadFromItsSchemaWithTheRubricInThePrompt() {
        var grandpa = new ScriptedGrandpa().answering("{\"verdict\":\"Revise\",\"score\":0.6,\"feedback\":\"add a test\"}");
        var judgement = new Evaluator(grandpa).evaluate(TASK, SUBTASK, "func healthz() {}", false);
        assertThat(judgement.verdict()).isEqualTo(Verdict.REVISE);
        assertThat(judgement.feedback()).isEqualTo("add a test");
        assertThat(judgement.judgedBy()).isEqualTo(JudgedBy.GRANDPA);
        var asked = grandpa.asked().getFirst();
        assertThat(asked.purpose()).isEqualTo(Purpose.JUDGE);
        assertThat(asked.schema()).isEqualTo(Evaluator.SCHEMA);
        assertThat(asked.request()).startsWith("Request: judge.").contains("Add a /healthz endpoint", "- answers 200",
                "func healthz() {}");
    }

    @Test
    void aVerdictOutsideTheSchemaIsAskedForOnceMoreThenFailsTheStep() {
        var grandpa = new ScriptedGrandpa().answering("looks fine to me", "{\"verdict\":\"maybe\"}");
        assertThatThrownBy(() -> new Evaluator(grandpa).evaluate(TASK, SUBTASK, "code", false))
                .isInstanceOf(ModelAnswerException.class).hasMessageContaining("verdict schema");
        assertThat(grandpa.asked()).hasSize(2);
    }

    @Test
    void aModelThatIsAwayIsNotAVerdict() {
        var grandpa = new ScriptedGrandpa().failing(new ModelUnavailableException("connection refused", null));
        assertThatThrownBy(() -> new Evaluator(grandpa).evaluate(TASK, SUBTASK, "code", false))
                .isInstanceOf(ModelUnavailableException.class);
    }
}
