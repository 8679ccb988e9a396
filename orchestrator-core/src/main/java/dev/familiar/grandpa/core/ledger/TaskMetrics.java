package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.grandpa.ModelCall;
import dev.familiar.grandpa.store.attempt.AttemptOutcome;
import dev.familiar.grandpa.store.attempt.Verdict;
import dev.familiar.grandpa.store.recovery.Rung;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Counters of what the ledger stores, exported under {@code grandpa_*} on {@code /actuator/prometheus}. */
public class TaskMetrics {
    private final MeterRegistry registry;

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void submitted() {
        registry.counter("grandpa.tasks.submitted").increment();
    }

    void done() {
        registry.counter("grandpa.tasks.done").increment();
    }

    void attempt(String backend, AttemptOutcome outcome) {
        Timer.builder("grandpa.delegation.attempts")
                .description("coder backend calls, by backend and outcome")
                .tag("backend", backend)
                .tag("status", outcome.status().name())
                .tag("error", outcome.errorKind() == null ? "none" : outcome.errorKind())
                .register(registry)
                .record(Duration.ofMillis(outcome.durationMs()));
    }

    void modelCall(ModelCall call) {
        registry.counter("grandpa.model.prompt.tokens", "cached", "true").increment(call.cachedTokens());
        registry.counter("grandpa.model.prompt.tokens", "cached", "false").increment(call.promptTokens() - call.cachedTokens());
        Timer.builder("grandpa.model.calls").tag("purpose", call.purpose().label()).register(registry)
                .record(Duration.ofMillis(call.wallMs()));
        if (call.firstTokenMs() >= 0) {
            Timer.builder("grandpa.model.first.token").tag("purpose", call.purpose().label()).register(registry)
                    .record(Duration.ofMillis(call.firstTokenMs()));
        }
    }

    void verdict(Verdict verdict) {
        registry.counter("grandpa.evaluations", "verdict", verdict.name()).increment();
    }

    void recovery(Rung rung) {
        registry.counter("grandpa.recoveries", "rung", rung.name()).increment();
    }
}
