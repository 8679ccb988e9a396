package dev.familiar.grandpa.core.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.grandpa.Purpose;
import dev.familiar.grandpa.core.testing.ScriptedGrandpa;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IntegratorTest {
    @Test
    void theAcceptedOutputsGoToGrandpaInPlanOrder() {
        var task = new Task(UUID.randomUUID(), "t", "Ship it", null, List.of(), 0, null, null, null, TaskStatus.INTEGRATING,
                null, 1, null, Instant.now(), Instant.now());
        var a = new Subtask(UUID.randomUUID(), task.id(), 1, "a", "First", "i", "code", "code", List.of(), List.of(),
                SubtaskStatus.ACCEPTED, "output A");
        var b = new Subtask(UUID.randomUUID(), task.id(), 1, "b", "Second", "i", "code", "code", List.of("a"), List.of(),
                SubtaskStatus.ACCEPTED, "output B");
        var grandpa = new ScriptedGrandpa().answering("the result");
        assertThat(new Integrator(grandpa).integrate(task, List.of(a, b))).isEqualTo("the result");
        var asked = grandpa.asked().getFirst();
        assertThat(asked.purpose()).isEqualTo(Purpose.INTEGRATE);
        assertThat(asked.request()).startsWith("Request: integrate.").contains("Ship it");
        assertThat(asked.request().indexOf("## a: First")).isLessThan(asked.request().indexOf("## b: Second"));
    }
}
