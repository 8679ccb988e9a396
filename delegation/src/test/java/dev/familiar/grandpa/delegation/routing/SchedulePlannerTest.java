package dev.familiar.grandpa.delegation.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.delegation.routing.SchedulePlanner.Backend;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulePlannerTest {
    static final List<Backend> CODERS = List.of(new Backend("fast", Set.of("code"), 400, 2, 1),
            new Backend("medium", Set.of("code"), 800, 2, 1), new Backend("slow", Set.of("code"), 1600, 1, 1));

    static Job job(String key, String... deps) {
        return new Job(key, "code", Set.of(deps));
    }

    @Test
    void thirteenIndependentJobsUseEverySlotIncludingTheSlowOne() {
        var jobs = new ArrayList<Job>();
        for (int i = 0; i < 13; i++) {
            jobs.add(job("j" + i));
        }
        var schedule = new SchedulePlanner(200_000).plan(jobs, CODERS);
        // 8 calls on the fast slots, 4 on the medium ones and 1 on the slow one end by 1,600 ms.
        assertThat(schedule.makespanMs()).isEqualTo(1600);
        assertThat(schedule.optimal()).isTrue();
        assertThat(schedule.placements().values()).extracting(SchedulePlanner.Placement::backend).contains("slow");
    }

    @Test
    void aChainGoesToTheFastestAndDependenciesAreRespected() {
        var schedule = new SchedulePlanner(200_000).plan(List.of(job("a"), job("b", "a"), job("c", "b"), job("d", "a")),
                CODERS);
        var at = schedule.placements();
        assertThat(schedule.makespanMs()).isEqualTo(1200);
        assertThat(List.of(at.get("a").backend(), at.get("b").backend(), at.get("c").backend())).containsOnly("fast");
        assertThat(at.get("b").startMs()).isGreaterThanOrEqualTo(at.get("a").finishMs());
        assertThat(at.get("c").startMs()).isGreaterThanOrEqualTo(at.get("b").finishMs());
        assertThat(at.get("d").startMs()).isGreaterThanOrEqualTo(at.get("a").finishMs());
        // a, b and c are the critical chain; d (400 or 800 ms) may end as late as the chain does
        assertThat(List.of(at.get("a").slackMs(), at.get("b").slackMs(), at.get("c").slackMs())).containsOnly(0.0);
        assertThat(at.get("d").slackMs()).isEqualTo(1200 - at.get("d").finishMs());
    }

    @Test
    void onlyBackendsWithTheCapabilityAreUsedAndDependenciesOutsideThePlanCountAsDone() {
        var backends = List.of(new Backend("coder", Set.of("code"), 400, 1, 1), new Backend("writer", Set.of("docs"), 100, 1, 1));
        var schedule = new SchedulePlanner(10_000).plan(List.of(new Job("x", "docs", Set.of("accepted-earlier")),
                new Job("y", "code", Set.of("x"))), backends);
        assertThat(schedule.placements().get("x").backend()).isEqualTo("writer");
        assertThat(schedule.placements().get("y")).isEqualTo(new SchedulePlanner.Placement("coder", 100, 500, 0));
    }

    @Test
    void ofEquallyShortSchedulesTheOneOnCheaperBackendsIsKept() {
        var backends = List.of(new Backend("hosted", Set.of("code"), 400, 1, 5), new Backend("local", Set.of("code"), 400, 1, 1));
        var schedule = new SchedulePlanner(10_000).plan(List.of(job("a"), job("b", "a")), backends);
        assertThat(schedule.placements().values()).extracting(SchedulePlanner.Placement::backend).containsOnly("local");
    }

    @Test
    void randomDagsNeverBreakADependencyOrOverfillABackendAndBeatGreedy() {
        var random = new Random(7);
        int shorter = 0;
        for (int t = 0; t < 30; t++) {
            var jobs = new ArrayList<Job>();
            for (int j = 0; j < 12; j++) {
                var deps = new ArrayList<String>();
                for (int k = 0; k < j; k++) {
                    if (random.nextDouble() < 0.25) {
                        deps.add("j" + k);
                    }
                }
                jobs.add(job("j" + j, deps.toArray(String[]::new)));
            }
            var schedule = new SchedulePlanner(20_000).plan(jobs, CODERS);
            var greedy = new SchedulePlanner(0).plan(jobs, CODERS);
            assertThat(schedule.makespanMs()).isLessThanOrEqualTo(greedy.makespanMs());
            assertThat(schedule.optimal()).isTrue();
            shorter += schedule.makespanMs() < greedy.makespanMs() ? 1 : 0;
            assertThat(schedule.placements()).hasSize(12);
            for (Job j : jobs) {
                var p = schedule.placements().get(j.key());
                j.dependsOn().forEach(d -> assertThat(p.startMs()).isGreaterThanOrEqualTo(schedule.placements().get(d).finishMs()));
                assertThat(p.finishMs() + p.slackMs()).isLessThanOrEqualTo(schedule.makespanMs());
                j.dependsOn().forEach(d -> assertThat(schedule.placements().get(d).finishMs() + schedule.placements().get(d).slackMs())
                        .isLessThanOrEqualTo(p.startMs() + p.slackMs()));
            }
            for (Backend b : CODERS) { // at no start does a backend run more calls than it has slots
                var on = schedule.placements().values().stream().filter(p -> p.backend().equals(b.name())).toList();
                for (var p : on) {
                    long overlapping = on.stream().filter(q -> q.startMs() <= p.startMs() && p.startMs() < q.finishMs()).count();
                    assertThat(overlapping).isLessThanOrEqualTo(b.slots());
                }
            }
        }
        assertThat(shorter).isGreaterThan(15); // greedy (each ready job where it ends soonest) is longer on most
    }
}
