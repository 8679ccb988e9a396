package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.runtime.session.ModelCall;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.AttemptStatus;
import dev.familiar.grandpa.store.attempt.JudgedBy;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.recovery.Rung;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * What the ledger stores, as meters on {@code /actuator/prometheus}. Model calls (grandpa's and the
 * coders') follow the OpenTelemetry GenAI conventions: {@code gen_ai.client.operation.duration},
 * {@code gen_ai.client.token.usage} by {@code gen_ai.token.type}, and the time to the first chunk, tagged
 * with {@code gen_ai.operation.name} and {@code gen_ai.request.model}. The rest is {@code grandpa.*}: tasks
 * by outcome, delegations by backend and capability as {@code /api/backends} counts them (passed: the
 * call answered and the judge passed it; failed: the call failed, or the verdict was revise or fail),
 * verdicts by who judged, recoveries by rung, plans, and grandpa's prompt cache. Distributions are
 * histograms, so panels can show percentiles.
 */
public class TaskMetrics {
    private final MeterRegistry registry;
    private final Function<String, String> backendModel;

    /**
     * @param backendModel a coder backend's name to the model it is asked for
     */
    public TaskMetrics(MeterRegistry registry, Function<String, String> backendModel) {
        this.registry = registry;
        this.backendModel = backendModel;
        // counters exist at 0 before their first event, so Prometheus's increase() counts that event too
        registry.counter("grandpa.tasks.submitted");
        for (String outcome : List.of("done", "blocked", "cancelled")) {
            registry.counter("grandpa.tasks.finished", "outcome", outcome);
        }
        registry.counter("grandpa.plans", "cause", "first");
        registry.counter("grandpa.plans", "cause", "replan");
        for (Rung rung : Rung.values()) {
            registry.counter("grandpa.recoveries", "rung", rung.name());
        }
    }

    /** A backend and the capabilities it serves: its delegation and verdict counters start at 0. */
    public void prepare(String backend, Collection<String> capabilities) {
        for (String capability : capabilities) {
            for (String outcome : List.of("passed", "failed")) {
                registry.counter("grandpa.delegations", "backend", backend, "capability", capability, "outcome", outcome);
            }
            for (Verdict verdict : Verdict.values()) {
                for (JudgedBy judge : JudgedBy.values()) {
                    registry.counter("grandpa.verdicts", "backend", backend, "capability", capability,
                            "verdict", verdict.name(), "judged_by", judge.stored());
                }
            }
        }
    }

    void submitted() {
        registry.counter("grandpa.tasks.submitted").increment();
    }

    /** A task ended: done, blocked (until a person acts) or cancelled. */
    /** Model calls and attempts take minutes (Micrometer's default histograms end at 30 s): buckets up to this. */
    static final Duration LONGEST_CALL = Duration.ofMinutes(30);
    /** Tokens a second past which no server of the homelab reads or writes (prompt reading reaches thousands). */
    static final double FASTEST = 20_000;

    void finished(String outcome) {
        registry.counter("grandpa.tasks.finished", "outcome", outcome).increment();
    }

    void planned(boolean replan) {
        registry.counter("grandpa.plans", "cause", replan ? "replan" : "first").increment();
    }

    void attempt(String backend, String capability, AttemptOutcome outcome) {
        String error = outcome.errorKind() == null ? "none" : outcome.errorKind();
        Timer.builder("grandpa.delegation.attempts")
                .description("coder backend calls, by backend, capability and outcome")
                .tags("backend", backend, "capability", capability, "status", outcome.status().name(), "error", error)
                .publishPercentileHistogram().maximumExpectedValue(LONGEST_CALL)
                .register(registry)
                .record(Duration.ofMillis(outcome.durationMs()));
        Tags genAi = genAi(backendModel.apply(backend), backend, capability);
        operation(genAi.and("error.type", outcome.status() == AttemptStatus.FAILED ? error : "none"), outcome.durationMs());
        tokens(genAi, outcome.promptTokens(), outcome.completionTokens());
        if (outcome.status() == AttemptStatus.FAILED) {
            delegation(backend, capability, false);
        }
    }

    void modelCall(ModelCall call) {
        registry.counter("grandpa.model.prompt.tokens", "cached", "true").increment(call.cachedTokens());
        registry.counter("grandpa.model.prompt.tokens", "cached", "false").increment(call.promptTokens() - call.cachedTokens());
        Tags genAi = genAi(call.model(), "grandpa", call.purpose().label());
        operation(genAi.and("error.type", "none"), call.wallMs());
        tokens(genAi, call.promptTokens(), call.predictedTokens());
        if (call.firstTokenMs() >= 0) {
            Timer.builder("gen_ai.client.operation.time_to_first_chunk").tags(genAi)
                    .description("from sending a request to grandpa's model to its first streamed piece")
                    .publishPercentileHistogram().maximumExpectedValue(LONGEST_CALL).register(registry)
                    .record(Duration.ofMillis(call.firstTokenMs()));
        }
        // registered at the first call even when the server says no speeds, so every panel has its series
        var generation = DistributionSummary.builder("grandpa.model.generation.speed").baseUnit("tokens_per_second")
                .description("how fast grandpa's model wrote an answer").tags(genAi).publishPercentileHistogram()
                .maximumExpectedValue(FASTEST).register(registry);
        var prompt = DistributionSummary.builder("grandpa.model.prompt.speed").baseUnit("tokens_per_second")
                .description("how fast grandpa's model read what its cache did not hold").tags(genAi)
                .publishPercentileHistogram().maximumExpectedValue(FASTEST).register(registry);
        if (call.predictedTokensPerSecond() > 0) {
            generation.record(call.predictedTokensPerSecond());
        }
        if (call.promptTokensPerSecond() > 0) {
            prompt.record(call.promptTokensPerSecond());
        }
    }

    void verdict(String backend, String capability, Verdict verdict, JudgedBy judgedBy) {
        registry.counter("grandpa.verdicts", "backend", backend, "capability", capability,
                "verdict", verdict.name(), "judged_by", judgedBy.stored()).increment();
        delegation(backend, capability, verdict == Verdict.PASS);
    }

    void recovery(Rung rung) {
        registry.counter("grandpa.recoveries", "rung", rung.name()).increment();
    }

    /**
     * The tags of a model call, the same keys for grandpa's own calls and the coders' (Prometheus wants
     * one set of keys a name): who was called ({@code grandpa} for its own model) and for what (a purpose
     * of grandpa's, a capability of a coder's).
     */
    private static Tags genAi(String model, String backend, String purpose) {
        return Tags.of("gen_ai.operation.name", "chat", "gen_ai.request.model", model, "grandpa.backend", backend,
                "grandpa.purpose", purpose);
    }

    private void delegation(String backend, String capability, boolean passed) {
        registry.counter("grandpa.delegations", "backend", backend, "capability", capability,
                "outcome", passed ? "passed" : "failed").increment();
    }

    private void operation(Tags tags, long millis) {
        Timer.builder("gen_ai.client.operation.duration").tags(tags)
                .description("GenAI operation duration (OpenTelemetry GenAI semantic conventions)")
                .publishPercentileHistogram().maximumExpectedValue(LONGEST_CALL).register(registry)
                .record(Duration.ofMillis(millis));
    }

    private void tokens(Tags tags, Integer input, Integer output) {
        if (input != null && input > 0) {
            usage(tags, "input", input);
        }
        if (output != null && output > 0) {
            usage(tags, "output", output);
        }
    }

    private void usage(Tags tags, String type, int count) {
        DistributionSummary.builder("gen_ai.client.token.usage").tags(tags).tag("gen_ai.token.type", type)
                .description("tokens used, by type (OpenTelemetry GenAI semantic conventions)")
                .serviceLevelObjectives(16, 64, 256, 1024, 4096, 16384, 65536, 262144)
                .register(registry).record(count);
    }
}
