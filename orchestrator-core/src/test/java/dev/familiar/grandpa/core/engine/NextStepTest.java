package dev.familiar.grandpa.core.engine;

import dev.familiar.grandpa.core.testing.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.Evaluation;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.plan.SubtaskStatus;
import dev.familiar.grandpa.store.recovery.Rung;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The next step of a task, decided from states the database and the worker would hold. */
class NextStepTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);
    final NextStep next = new NextStep(new NextStep.Rules(1, 1, 3, WAIT));
    final UUID taskId = UUID.randomUUID();
    TaskStatus status = TaskStatus.RUNNING;
    String statusReason;
    int planVersion = 1;
    final List<Subtask> live = new ArrayList<>();
    final Map<UUID, List<Attempt>> history = new HashMap<>();
    final Map<Long, Evaluation> evaluations = new HashMap<>();
    long replans;
    boolean backends = true;
    InFlight inFlight = InFlight.NOTHING;
    String acceptanceFailure;
    Map<String, String> unavailable = Map.of();

    Subtask subtask(String key, SubtaskStatus status, String... deps) {
        var s = new Subtask(UUID.randomUUID(), taskId, planVersion, key, "title " + key, "do " + key, "code", "code",
                List.of(deps), List.of(), status, status == SubtaskStatus.ACCEPTED ? "output" : null, null, null, null);
        live.add(s);
        return s;
    }

    /** The usual plan: impl and tests at once, docs after both. */
    Subtask[] plan() {
        return new Subtask[] {subtask("impl", SubtaskStatus.PENDING), subtask("tests", SubtaskStatus.PENDING),
                subtask("docs", SubtaskStatus.PENDING, "impl", "tests")};
    }

    Attempt attempt(Subtask s, String backend, AttemptStatus status, Verdict verdict) {
        var list = history.computeIfAbsent(s.id(), k -> new ArrayList<>());
        long id = evaluations.size() + history.values().stream().mapToLong(List::size).sum() + 1;
        var a = Stored.attempt().id(id).of(taskId, s.id()).number(list.size() + 1).backend(backend).status(status).build();
        list.add(a);
        if (verdict != null) {
            evaluations.put(id, new Evaluation(id, taskId, s.id(), id, verdict, 0.5, "fix it", List.of(), JudgedBy.GRANDPA,
                    Instant.now()));
        }
        return a;
    }

    Step decide() {
        var task = Stored.task().id(taskId).status(status, statusReason).planVersion(planVersion).build();
        return next.decide(new TaskState(task, live, history, evaluations, replans, backends, inFlight, Map.of(),
                acceptanceFailure, unavailable), NOW);
    }

    /** The task waits, moved to WAITING with the reason (it was not waiting for it), until the wait is over. */
    static Step.Wait waits(String reason) {
        return new Step.Wait(reason, NOW.plus(WAIT), new Step.Move(TaskStatus.WAITING, reason));
    }

    InFlight running(Subtask... subtasks) {
        return new InFlight(false, false, Set.of(java.util.Arrays.stream(subtasks).map(Subtask::id).toArray(UUID[]::new)),
                Map.of(), null, 0, null);
    }

    @Test
    void aTaskThatNoLongerNeedsWorkStops() {
        for (TaskStatus done : List.of(TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.BLOCKED)) {
            status = done;
            assertThat(decide()).isInstanceOf(Step.Stop.class);
        }
    }

    @Test
    void withoutBackendsTheTaskWaitsSayingWhy() {
        backends = false;
        assertThat(decide()).isEqualTo(waits("no coder backends are configured (grandpa.backends)"));
    }

    @Test
    void aTaskWithoutAPlanIsPlannedOnce() {
        planVersion = 0;
        status = TaskStatus.QUEUED;
        assertThat(decide()).isEqualTo(new Step.Plan(1, null, new Step.Move(TaskStatus.PLANNING, null)));
        inFlight = new InFlight(true, false, Set.of(), Map.of(), null, 0, null);
        assertThat(decide()).isInstanceOf(Step.Idle.class);
    }

    @Test
    void independentSubtasksStartTogetherAndOneThatNeedsThemWaits() {
        var s = plan();
        var step = (Step.Advance) decide();
        assertThat(step.actions()).extracting(Step.Action::subtask).containsExactly(s[0], s[1]);
        assertThat(step.actions()).allSatisfy(a -> assertThat(((Step.Call) a).call())
                .isEqualTo(new RecoveryLadder.Call(null, Set.of(), null, null, null)));
    }

    @Test
    void aSubtaskWithAnAttemptUnderWayGetsNoSecondOne() {
        var s = plan();
        inFlight = running(s[0]);
        var step = (Step.Advance) decide();
        assertThat(step.actions()).extracting(Step.Action::subtask).containsExactly(s[1]);
    }

    @Test
    void anOutputWithoutAVerdictIsJudgedFirst() {
        var s = plan();
        var done = attempt(s[0], "coder-a", AttemptStatus.SUCCEEDED, null);
        var step = (Step.Advance) decide();
        assertThat(step.actions()).first().as("a usable answer: a model judges").isEqualTo(new Step.Judge(s[0], done, List.of(), null));
    }

    @Test
    void anAnswerCutOffByTheTokenLimitIsSentBackByRuleWithoutAModel() {
        var s = plan();
        var list = history.computeIfAbsent(s[0].id(), k -> new ArrayList<>());
        list.add(Stored.attempt().of(taskId, s[0].id()).answered("half an an", "length").build());
        var judge = (Step.Judge) ((Step.Advance) decide()).actions().getFirst();
        assertThat(judge.ruled().verdict()).isEqualTo(Verdict.REVISE);
        assertThat(judge.ruled().feedback()).contains("cut off by the token limit");
    }

    @Test
    void aReviseVerdictIsRetriedOnTheSameBackendWithTheFeedback() {
        var s = plan();
        attempt(s[0], "coder-a", AttemptStatus.SUCCEEDED, Verdict.REVISE);
        var call = ((Step.Call) ((Step.Advance) decide()).actions().getFirst()).call();
        assertThat(call.pinned()).isEqualTo("coder-a");
        assertThat(call.rung()).isEqualTo(Rung.RETRY_WITH_FEEDBACK);
        assertThat(call.feedback()).isEqualTo("fix it");
    }

    @Test
    void whenTheDependenciesAreAcceptedTheNextSubtaskStarts() {
        subtask("impl", SubtaskStatus.ACCEPTED);
        subtask("tests", SubtaskStatus.ACCEPTED);
        var docs = subtask("docs", SubtaskStatus.PENDING, "impl", "tests");
        assertThat(((Step.Advance) decide()).actions()).extracting(Step.Action::subtask).containsExactly(docs);
    }

    @Test
    void everySubtaskAcceptedIntegratesOnceNothingRuns() {
        var impl = subtask("impl", SubtaskStatus.ACCEPTED);
        subtask("tests", SubtaskStatus.ACCEPTED);
        assertThat(decide()).isInstanceOf(Step.Integrate.class);
        inFlight = running(impl); // a judgement of an earlier attempt still under way
        assertThat(decide()).isInstanceOf(Step.Idle.class);
        inFlight = new InFlight(false, true, Set.of(), Map.of(), null, 0, null);
        assertThat(decide()).isInstanceOf(Step.Idle.class);
    }

    @Test
    void aSubtaskNoBackendIsLeftForStopsNewWorkThenReplans() {
        var s = plan();
        inFlight = new InFlight(false, false, Set.of(s[1].id()), Map.of(s[0].id(), "no backend left with capability code"),
                null, 0, null);
        assertThat(decide()).isInstanceOf(Step.Idle.class); // tests still runs; nothing new starts
        inFlight = new InFlight(false, false, Set.of(), Map.of(s[0].id(), "no backend left with capability code"),
                null, 0, null);
        assertThat(decide()).isEqualTo(new Step.Plan(2, "subtask impl: no backend left with capability code", null));
    }

    @Test
    void whenReplansAreUsedUpTheTaskIsBlockedWithTheCause() {
        var s = plan();
        replans = 1;
        inFlight = new InFlight(false, false, Set.of(), Map.of(s[0].id(), "no backend left"), null, 0, null);
        assertThat(decide()).isEqualTo(new Step.Block(s[0].id(),
                "recovery exhausted after 1 re-plan(s): subtask impl: no backend left"));
    }

    @Test
    void subtasksWhoseDependenciesCanNeverBeAcceptedBlockTheTask() {
        subtask("docs", SubtaskStatus.PENDING, "gone");
        assertThat(decide()).isEqualTo(new Step.Block(null, "no pending subtask can start: their dependencies are not accepted"));
    }

    @Test
    void whileTheModelIsAwayNothingNewStartsAndOnceTheRunningWorkEndsTheTaskWaits() {
        var s = plan();
        inFlight = new InFlight(false, false, Set.of(s[1].id()), Map.of(), "waiting for the grandpa model: down", 0, null);
        assertThat(decide()).isInstanceOf(Step.Idle.class);
        inFlight = new InFlight(false, false, Set.of(), Map.of(), "waiting for the grandpa model: down", 0, null);
        assertThat(decide()).isEqualTo(waits("waiting for the grandpa model: down"));
        status = TaskStatus.WAITING;
        statusReason = "waiting for the grandpa model: down";
        assertThat(decide()).as("waiting for this already: no move").isEqualTo(
                new Step.Wait("waiting for the grandpa model: down", NOW.plus(WAIT), null));
    }

    @Test
    void aStepThatKeepsFailingBlocksTheTaskWithTheError() {
        plan();
        inFlight = new InFlight(false, false, Set.of(), Map.of(), null, 2, "boom");
        assertThat(decide()).isInstanceOf(Step.Advance.class);
        inFlight = new InFlight(false, false, Set.of(), Map.of(), null, 3, "boom");
        assertThat(decide()).isEqualTo(new Step.Block(null, "the same step failed 3 times: boom"));
    }

    @Test
    void aWholeChangeThatFailsItsAcceptanceCheckIsRePlannedThenBlocked() {
        subtask("impl", SubtaskStatus.ACCEPTED);
        assertThat(decide()).isEqualTo(new Step.Integrate(new Step.Move(TaskStatus.INTEGRATING, null)));
        acceptanceFailure = "The check 'test' (mvn -q test) failed: exit status 1";
        assertThat(decide()).isEqualTo(new Step.Plan(2,
                "the acceptance check failed on the whole change: The check 'test' (mvn -q test) failed: exit status 1", null));
        replans = 1;
        assertThat(decide()).isInstanceOfSatisfying(Step.Block.class,
                b -> assertThat(b.reason()).startsWith("recovery exhausted after 1 re-plan(s): the acceptance check failed"));
    }

    @Test
    void workWhoseBackendsAreAllAwayWaitsWithWhyAndTheRestGoesOn() {
        Subtask[] p = plan();
        unavailable = Map.of("code", "coder is not answering");
        assertThat(decide()).isEqualTo(waits("subtask impl waits for a backend with capability code: coder is "
                + "not answering; subtask tests waits for a backend with capability code: coder is not answering"));
        inFlight = running(p[1]);
        assertThat(decide()).isInstanceOf(Step.Idle.class); // the running work ends first

        inFlight = InFlight.NOTHING;
        attempt(p[0], "coder", AttemptStatus.SUCCEEDED, null); // an output still to judge needs no coder
        assertThat(decide()).isInstanceOfSatisfying(Step.Advance.class, a ->
                assertThat(a.actions()).singleElement().isInstanceOf(Step.Judge.class));

        unavailable = Map.of();
        assertThat(decide()).isInstanceOfSatisfying(Step.Advance.class, a -> assertThat(a.actions()).hasSize(2));
    }
}
