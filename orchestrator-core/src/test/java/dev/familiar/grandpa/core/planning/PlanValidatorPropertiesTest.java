package dev.familiar.grandpa.core.planning;

import static dev.familiar.grandpa.core.testing.RandomText.anything;
import static dev.familiar.grandpa.core.testing.RandomText.chars;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random plans, most of them broken (odd ids, NULs and surrogates, unknown capabilities, dependencies
 * on nothing, cycles, hundreds of subtasks): the validator never throws, and a plan it accepts has
 * every property an engine relies on, checked here independently. Each case is one seed of a plain
 * {@link Random}, so a failure names the seed that reproduces it.
 */
class PlanValidatorPropertiesTest {
    static final Set<String> CAPABILITIES = Set.of("code", "tests", "docs");
    static final int MAX = 12;
    static final int CASES = 600;

    static LongStream seeds() {
        return LongStream.range(0, CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anAcceptedPlanIsAlwaysWellFormed(long seed) {
        var random = new Random(seed);
        Plan plan = plan(random);
        Set<String> done = done(random);
        List<String> problems = PlanValidator.problems(plan, MAX, CAPABILITIES, done, Set.of());
        if (problems.isEmpty()) {
            assertWellFormed(plan, done);
        } else {
            assertThat(problems).allSatisfy(p -> assertThat(p).isNotBlank());
        }
    }

    @Test
    void theGeneratorMakesBothAcceptedAndRefusedPlans() { // else the property above would check nothing
        long accepted = seeds().filter(seed -> {
            var random = new Random(seed);
            return PlanValidator.problems(plan(random), MAX, CAPABILITIES, done(random), Set.of()).isEmpty();
        }).count();
        assertThat(accepted).isBetween(CASES / 20L, CASES - CASES / 20L);
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

    static Set<String> done(Random random) {
        var done = new LinkedHashSet<String>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String id = id(random);
            if (id != null) {
                done.add(id);
            }
        }
        return done;
    }

    /** Up to 16 distinct keys, each a subtask that mostly names its own key and depends on earlier ones. */
    static Plan plan(Random random) {
        var keys = new ArrayList<>(new LinkedHashSet<>(random.ints(random.nextInt(17), 0, 1 << 20)
                .mapToObj(n -> chars(random, "abcdefghij0123_.-", 1 + random.nextInt(5))).toList()));
        var subtasks = new ArrayList<PlannedSubtask>();
        for (String key : keys) {
            List<String> earlier = keys.subList(0, keys.indexOf(key));
            var deps = new ArrayList<String>();
            if (random.nextInt(4) == 0) {
                for (int i = random.nextInt(4); i > 0; i--) {
                    int pick = random.nextInt(9);
                    deps.add(pick < 6 ? (earlier.isEmpty() ? key : earlier.get(random.nextInt(earlier.size())))
                            : pick < 8 ? keys.get(random.nextInt(keys.size())) : id(random));
                }
            }
            String id = random.nextInt(31) == 0 ? id(random) : key;
            String capability = random.nextInt(31) == 0 ? text(random)
                    : List.copyOf(CAPABILITIES).get(random.nextInt(CAPABILITIES.size()));
            subtasks.add(new PlannedSubtask(id, text(random), text(random), "code", capability, deps, List.of(), null, null));
        }
        return new Plan("random", subtasks);
    }

    /** A plausible id, anything at all (spaces, NULs, surrogates, too long), or none. */
    static String id(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> chars(random, "abcxyz019_.-", 1 + random.nextInt(6));
            case 1 -> anything(random, random.nextInt(46));
            default -> null;
        };
    }

    static String text(Random random) {
        int pick = random.nextInt(43);
        return pick < 40 ? chars(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 1 + random.nextInt(12))
                : pick == 40 ? anything(random, random.nextInt(13)) : pick == 41 ? "   " : null;
    }
}
