package dev.familiar.grandpa.core.evaluation;

import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.delegation.backend.CoderReply;
import dev.familiar.grandpa.delegation.backend.Question;
import dev.familiar.grandpa.delegation.routing.Lease;
import dev.familiar.grandpa.delegation.routing.Planned;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.RoutingRequest;
import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.store.attempt.Attempt;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A cheaper judge in front of grandpa: a configured chat backend reads an output that passed its checks
 * and gives a verdict with how sure it is. A sure verdict stands; when it is unsure, cut off, out of
 * schema or its backend fails, it has not decided and grandpa judges. It never judges work its own
 * backend did. It waits for a slot of its backend like any call routed there. Each try is an event
 * ({@code judge.first}), so how often it decides, and how, can be counted.
 */
public final class FirstJudge {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The capability a judging request asks routing for; it is pinned to the judge's backend. */
    private static final String CAPABILITY = "judge";

    static final String SYSTEM = """
            You review the output of a coding model for one subtask of a larger goal, before a senior reviewer
            does. Judge it against the subtask's instructions and acceptance criteria. Answer "pass" when it is
            usable as it is, "revise" when it is close and specific feedback would fix it, "fail" when it is wrong
            or unusable. Give a score from 0 to 1, feedback the coder can act on, and your confidence from 0 to 1
            that the senior reviewer would give the same verdict. Be sure only when the output lets you check
            every criterion; the senior reviewer looks at whatever you are unsure of. Answer with JSON in the
            given schema.""";

    static final JsonSchema SCHEMA = JsonSchema.builder()
            .name("first_verdict")
            .rootElement(JsonObjectSchema.builder()
                    .addEnumProperty("verdict", List.of("pass", "revise", "fail"))
                    .addNumberProperty("score")
                    .addStringProperty("feedback")
                    .addNumberProperty("confidence")
                    .required("verdict", "score", "feedback", "confidence")
                    .build())
            .build();

    private record Answer(String verdict, Double score, String feedback, Double confidence) {}

    private final FirstJudgeSettings settings;
    private final Router router;
    private final EventJournal events;
    private final Clock clock;
    private final Executor io;
    /** Set while a bake-off setup runs without the first judge. */
    private volatile boolean suspended;

    public FirstJudge(FirstJudgeSettings settings, Router router, EventJournal events, Clock clock, Executor io) {
        this.settings = settings;
        this.router = router;
        this.events = events;
        this.clock = clock;
        this.io = io;
    }

    /** Whether the first judge stays out of the way (a bake-off setup without it), or judges as configured. */
    public void suspend(boolean off) {
        suspended = off;
    }

    public boolean suspended() {
        return suspended;
    }

    /**
     * Its verdict on an output that passed its checks, or empty when it does not decide (off, not its
     * place, unsure, failed).
     *
     * @param checked whether the output passed checks that ran (a repository's), not only its structure
     */
    public CompletableFuture<Optional<Judgement>> judge(String subtask, Attempt attempt, Evaluator.Review review,
                                                        boolean checked) {
        if (!settings.enabled() || suspended || (!checked && !settings.withoutChecks()) || settings.backend().equals(attempt.backend())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        var ticket = router.request(new RoutingRequest(CAPABILITY, Set.of(), settings.backend(),
                Planned.unscheduled(clock.millis())), true);
        return ticket.lease().thenApplyAsync(lease -> lease.flatMap(l -> ask(l, subtask, attempt, review)), io);
    }

    private Optional<Judgement> ask(Lease lease, String subtask, Attempt attempt, Evaluator.Review review) {
        long start = System.nanoTime();
        CoderReply reply = null;
        try (lease) {
            reply = lease.backend().ask(new Question(SYSTEM, review.text(), SCHEMA, settings.maxTokens()));
            if (reply.truncated()) {
                return undecided(subtask, attempt, start, reply, "cut off at " + settings.maxTokens() + " tokens");
            }
            Answer a = JSON.readValue(reply.text(), Answer.class);
            Verdict verdict = Verdict.valueOf(a.verdict().trim().toUpperCase(Locale.ROOT));
            double confidence = a.confidence() == null ? 0 : a.confidence();
            boolean decided = confidence >= settings.confidence();
            events.append(attempt.taskId(), new Event.FirstJudged(subtask, attempt.number(), settings.backend(), verdict,
                    confidence, decided, millis(start), reply.promptTokens(), reply.completionTokens(), null));
            if (!decided) {
                return Optional.empty();
            }
            var checks = new ArrayList<>(review.checks());
            checks.add("first judge " + settings.backend() + ": " + verdict.name().toLowerCase(Locale.ROOT)
                    + String.format(Locale.ROOT, " (confidence %.2f)", confidence));
            return Optional.of(new Judgement(verdict, a.score(), a.feedback(), checks, JudgedBy.FIRST_JUDGE));
        } catch (CallFailure e) {
            return undecided(subtask, attempt, start, null, e.kind() + ": " + e.getMessage());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            return undecided(subtask, attempt, start, reply, "its answer was not in the verdict schema");
        }
    }

    private Optional<Judgement> undecided(String subtask, Attempt attempt, long start, CoderReply reply, String problem) {
        events.append(attempt.taskId(), new Event.FirstJudged(subtask, attempt.number(), settings.backend(), null, 0,
                false, millis(start), reply == null ? null : reply.promptTokens(),
                reply == null ? null : reply.completionTokens(), problem));
        return Optional.empty();
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
