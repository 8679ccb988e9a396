package dev.familiar.grandpa.core.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {
    static final Set<String> CAPABILITIES = Set.of("code", "docs");

    static PlannedSubtask s(String id, String capability, String... deps) {
        return new PlannedSubtask(id, "title " + id, "do " + id, "code", capability, List.of(deps), List.of(), null, null);
    }

    static List<String> problems(Set<String> done, PlannedSubtask... subtasks) {
        return PlanValidator.problems(new Plan("p", List.of(subtasks)), 4, CAPABILITIES, done, Set.of());
    }

    @Test
    void aDagOfKnownCapabilitiesIsValid() {
        assertThat(problems(Set.of(), s("a", "code"), s("b", "code"), s("c", "docs", "a", "b"))).isEmpty();
    }

    @Test
    void cyclesAreFoundAndNamed() {
        assertThat(problems(Set.of(), s("a", "code", "c"), s("b", "code", "a"), s("c", "code", "b")))
                .singleElement().asString().contains("cycle");
        assertThat(problems(Set.of(), s("a", "code", "a"))).anyMatch(p -> p.contains("depends on itself"));
    }

    @Test
    void unknownCapabilitiesDependenciesAndDuplicateIdsAreRejected() {
        assertThat(problems(Set.of(), s("a", "gpu-kernels"))).anyMatch(p -> p.contains("capability 'gpu-kernels'"));
        assertThat(problems(Set.of(), s("a", "code", "zzz"))).anyMatch(p -> p.contains("unknown subtask 'zzz'"));
        assertThat(problems(Set.of(), s("a", "code"), s("a", "code"))).anyMatch(p -> p.contains("used twice"));
        assertThat(problems(Set.of(), s("has space", "code"))).anyMatch(p -> p.contains("an id is"));
    }

    @Test
    void planSizeIsBounded() {
        assertThat(problems(Set.of())).contains("the plan has no subtasks");
        assertThat(problems(Set.of(), s("a", "code"), s("b", "code"), s("c", "code"), s("d", "code"), s("e", "code")))
                .anyMatch(p -> p.contains("at most 4"));
    }

    @Test
    void aReplanMayDependOnAcceptedSubtasksButNotReuseTheirIds() {
        assertThat(problems(Set.of("old"), s("new", "code", "old"))).isEmpty();
        assertThat(problems(Set.of("old"), s("old", "code"))).anyMatch(p -> p.contains("taken by an accepted subtask"));
    }

    @Test
    void aSubtaskMayNameOnlyACheckItsRepositoryHas() {
        var named = new PlannedSubtask("a", "t", "i", "code", "code", List.of(), List.of(), "test", null);
        var plan = new Plan("p", List.of(named));
        assertThat(PlanValidator.problems(plan, 4, CAPABILITIES, Set.of(), Set.of("test", "lint"))).isEmpty();
        assertThat(PlanValidator.problems(plan, 4, CAPABILITIES, Set.of(), Set.of()))
                .singleElement().asString().contains("check 'test' is not one of the repository's checks");
    }
}
