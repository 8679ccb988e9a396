package dev.familiar.grandpa.core.planning;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.ScriptedGrandpa;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.task.Task;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Planning with a scripted grandpa: a valid plan is kept, an invalid one asked for again with its problems. */
class PlannerTest {
    static final Task TASK = Stored.task().goal("csv", "Write a CSV exporter")
            .repo("gitea/billing", "mvn -q test").labels(List.of("backend")).status(TaskStatus.PLANNING, null).planVersion(0).build();
    static final String VALID = """
            {"summary":"two steps","subtasks":[
             {"id":"impl","title":"Exporter","instructions":"Write it","kind":"code","capability":"code",
              "depends_on":[],"acceptance_criteria":["exports rows"]},
             {"id":"tests","title":"Tests","instructions":"Test it","kind":"tests","capability":"tests",
              "depends_on":["impl"],"acceptance_criteria":[]}]}""";

    @Test
    void aValidPlanIsReturnedWithTheTaskInThePrompt() {
        var grandpa = new ScriptedGrandpa().answering(VALID);
        var outcome = new Planner(grandpa, 12, 2).plan(TASK, 1, null, List.of(), Set.of("code", "tests"), "", Map.of());
        var planned = (Planner.Planned) outcome;
        assertThat(planned.plan().subtasks()).extracting(PlannedSubtask::id).containsExactly("impl", "tests");
        var asked = grandpa.asked().getFirst();
        assertThat(asked.purpose()).isEqualTo(Purpose.PLAN);
        assertThat(asked.request()).startsWith("Request: plan.").contains("Write a CSV exporter", "Repository: gitea/billing",
                "Acceptance command: mvn -q test", "Capabilities of the coders: code, tests", "Plan version: 1");
    }

    @Test
    void anInvalidPlanIsAskedForAgainWithItsProblems() {
        var cyclic = VALID.replace("\"depends_on\":[]", "\"depends_on\":[\"tests\"]");
        var grandpa = new ScriptedGrandpa().answering(cyclic, VALID);
        var outcome = new Planner(grandpa, 12, 2).plan(TASK, 1, null, List.of(), Set.of("code", "tests"), "", Map.of());
        assertThat(outcome).isInstanceOf(Planner.Planned.class);
        assertThat(grandpa.asked().get(1).request()).contains("previous answer was rejected", "cycle");
    }

    @Test
    void aPlanThatStaysInvalidIsRejectedWithTheReason() {
        var grandpa = new ScriptedGrandpa().answering("I think we should", "still prose");
        var outcome = new Planner(grandpa, 12, 2).plan(TASK, 1, null, List.of(), Set.of("code"), "", Map.of());
        assertThat(((Planner.Rejected) outcome).reason()).contains("no valid plan in 2 attempt(s)", "not JSON");
    }

    @Test
    void aReplanNamesItsCauseAndTheAcceptedSubtasks() {
        var accepted = new Subtask(UUID.randomUUID(), TASK.id(), 1, "done-1", "Parser", "p", "code", "code", List.of(),
                List.of(), SubtaskStatus.ACCEPTED, "out", null, null, null);
        var grandpa = new ScriptedGrandpa().answering(VALID.replace("\"depends_on\":[]", "\"depends_on\":[\"done-1\"]"));
        var outcome = new Planner(grandpa, 12, 2).plan(TASK, 2, "subtask x: no backend left", List.of(accepted),
                Set.of("code", "tests"), "", Map.of());
        assertThat(outcome).isInstanceOf(Planner.Planned.class);
        assertThat(grandpa.asked().getFirst().request()).contains("Plan version: 2", "could not be finished: subtask x",
                "- done-1: Parser");
    }
}
