package dev.familiar.grandpa.core.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random plans, most of them broken (odd ids, NULs and surrogates, unknown capabilities, dependencies
 * on nothing, cycles, hundreds of subtasks): the validator never throws, and a plan it accepts has
 * every property an engine relies on, checked here independently.
 */
class PlanValidatorProperties {
    static final Set<String> CAPABILITIES = Set.of("code", "tests", "docs");
    static final int MAX = 12;

    @Property(tries = 600)
    void anAcceptedPlanIsAlwaysWellFormed(@ForAll("plans") Plan plan, @ForAll("done") Set<String> done) {
        List<String> problems = PlanValidator.problems(plan, MAX, CAPABILITIES, done, Set.of());
        Statistics.label("accepted").collect(problems.isEmpty());
        if (problems.isEmpty()) {
            assertWellFormed(plan, done);
        } else {
            assertThat(problems).allSatisfy(p -> assertThat(p).isNotBlank());
        }
    }

    static void assertWellFormed(Plan plan, Set<String> done) {
        var subtasks = plan.subtasks();
        assertThat(subtasks).isNotEmpty().hasSizeLessThanOrEqualTo(MAX);
        var ids = new HashSet<String>();
        for (PlannedSubtask s : subtasks) {
            assertThat(s.id()).matches("[A-Za-z0-9_.-]{1,40}");
            assertThat(ids.add(s.id())).as("unique id %s", s.id()).isTrue();
            assertThat(done).doesNotContain(s.id());
            assertThat(s.title()).isNotBlank();
            assertThat(s.instructions()).isNotBlank();
            assertThat(CAPABILITIES).contains(s.capability());
        }
        Map<String, List<String>> edges = new HashMap<>();
        subtasks.forEach(s -> edges.put(s.id(), s.dependsOn()));
        for (PlannedSubtask s : subtasks) {
            assertThat(s.dependsOn()).allSatisfy(d -> assertThat(ids.contains(d) || done.contains(d)).isTrue())
                    .doesNotContain(s.id());
        }
        // acyclic: repeatedly remove subtasks whose dependencies are all gone
        var left = new HashMap<>(edges);
        boolean progress = true;
        while (!left.isEmpty() && progress) {
            progress = left.entrySet().removeIf(e -> e.getValue().stream().noneMatch(left::containsKey));
        }
        assertThat(left).as("a cycle").isEmpty();
    }

    @Provide
    Arbitrary<Set<String>> done() {
        return ids().set().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Arbitraries.strings().withChars("abcdefghij0123_.-").ofMinLength(1).ofMaxLength(5).list()
                .ofMinSize(0).ofMaxSize(16).uniqueElements(x -> x).flatMap(keys -> {
            List<Arbitrary<PlannedSubtask>> subtasks = new ArrayList<>();
            for (String key : keys) {
                subtasks.add(subtask(key, keys));
            }
            return Combinators.combine(subtasks).as(list -> new Plan("random", list));
        });
    }

    static Arbitrary<PlannedSubtask> subtask(String key, List<String> keys) {
        // mostly the plan's own keys, earlier ones more often (a DAG), sometimes anything
        List<String> earlier = keys.subList(0, keys.indexOf(key));
        Arbitrary<String> dependency = Arbitraries.frequencyOf(
                Tuple.of(6, earlier.isEmpty() ? Arbitraries.just(key) : Arbitraries.of(earlier)),
                Tuple.of(2, Arbitraries.of(keys)), Tuple.of(1, ids()));
        return Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just(key)), Tuple.of(1, ids())),
                text(), text(),
                Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.of(CAPABILITIES)), Tuple.of(1, text())),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<String>of())), Tuple.of(1, dependency.list().ofMaxSize(3))))
                .as((id, title, instructions, capability, deps) -> new PlannedSubtask(id, title, instructions, "code",
                        capability, deps, List.of(), null));
    }

    static Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("abcxyz019_.-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(45), // anything: spaces, NULs, surrogates, too long
                Arbitraries.just(null));
    }

    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)), Tuple.of(1, Arbitraries.just("   ")),
                Tuple.of(1, Arbitraries.just(null)));
    }
}
