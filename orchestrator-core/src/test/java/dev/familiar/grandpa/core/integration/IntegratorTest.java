package dev.familiar.grandpa.core.integration;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.testing.ScriptedGrandpa;
import dev.familiar.grandpa.runtime.session.CutOffException;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A task without a repository: its accepted outputs are put together as they are, and grandpa only sums up. */
class IntegratorTest {
    static final Task TASK = Stored.task().goal("t", "Ship it").status(TaskStatus.INTEGRATING, null).build();
    static final Subtask A = new Subtask(UUID.randomUUID(), TASK.id(), 1, "a", "First", "i", "code", "code", List.of(),
            List.of(), SubtaskStatus.ACCEPTED, "output A", null, null, null);
    static final Subtask B = new Subtask(UUID.randomUUID(), TASK.id(), 1, "b", "Second", "i", "code", "code", List.of("a"),
            List.of(), SubtaskStatus.ACCEPTED, "output B", null, null, null);

    static Integrator integrator(ScriptedGrandpa grandpa) {
        return new Integrator(grandpa, new Repositories(List.of(), true), null, null, null, null, null);
    }

    @Test
    void grandpaWritesOnlyASummaryAndTheOutputsFollowItVerbatimInPlanOrder() {
        var grandpa = new ScriptedGrandpa().answering("Both parts are done.");
        var integrator = integrator(grandpa);
        var checked = integrator.check(TASK).orElseThrow();
        String summary = integrator.summary(TASK, List.of(A, B), checked);
        String result = integrator.deliver(TASK, List.of(A, B), checked, summary);

        assertThat(result).startsWith("Both parts are done.").contains("## a: First\n\noutput A", "## b: Second\n\noutput B");
        assertThat(result.indexOf("output A")).isLessThan(result.indexOf("output B"));
        var asked = grandpa.asked().getFirst();
        assertThat(asked.purpose()).isEqualTo(Purpose.INTEGRATE);
        assertThat(asked.request()).startsWith("Request: integrate.").contains("Ship it", "## a: First");
        assertThat(grandpa.asked()).hasSize(1);
    }

    @Test
    void aSummaryCutOffAtItsLimitIsUsedAsFarAsItGot() {
        var grandpa = new ScriptedGrandpa().failing(new CutOffException(Purpose.INTEGRATE, 300, "Both parts are"));
        var integrator = integrator(grandpa);
        assertThat(integrator.summary(TASK, List.of(A, B), integrator.check(TASK).orElseThrow()))
                .isEqualTo("Both parts are …");
        assertThat(grandpa.asked()).hasSize(1); // not asked again: the limit bounds integration's generation
    }

    @Test
    void aSummaryThatWasAllReasoningGivesWayToTheListOfWhatWasDone() {
        var grandpa = new ScriptedGrandpa().failing(new CutOffException(Purpose.INTEGRATE, 300, ""));
        var integrator = integrator(grandpa);
        assertThat(integrator.summary(TASK, List.of(A, B), integrator.check(TASK).orElseThrow()))
                .isEqualTo("2 subtask(s) done: First; Second.");
    }
}
