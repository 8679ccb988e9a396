package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A live coder backend behind Resilience4j guards: a bulkhead sized to its slots (a full one queues
 * the caller up to the backend's timeout), a circuit breaker that opens when calls keep failing and
 * half-opens to probe, retry with backoff for transient errors only, and a time limit on each call.
 * Its flags say whether routing may use it: enabled, draining (finish what runs, take nothing new),
 * healthy (the last active probe answered).
 */
public final class CoderBackend {
    private static final ExecutorService CALLS = Executors.newVirtualThreadPerTaskExecutor();

    /** Settings of the guards, the same for every backend. */
    public record Guards(int retryAttempts, Duration retryBackoff, int breakerWindow, float breakerFailureRate,
                         Duration breakerOpenFor) {
        public static Guards defaults() {
            return new Guards(3, Duration.ofMillis(250), 10, 50, Duration.ofSeconds(30));
        }
    }

    private final BackendSpec spec;
    private final CoderClient client;
    private final Bulkhead bulkhead;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final TimeLimiter limiter;
    private volatile boolean enabled = true;
    private volatile boolean draining;
    private volatile boolean healthy = true;
    /** Moving average of how long a successful call takes here, in ms; 0 until the first one. */
    private volatile double serviceMs;

    public CoderBackend(BackendSpec spec) {
        this(spec, Guards.defaults());
    }

    public CoderBackend(BackendSpec spec, Guards guards) {
        this.spec = spec;
        this.client = spec.kind() == BackendKind.CLI ? new CliAgentClient(spec) : new OpenAiChatClient(spec);
        this.bulkhead = Bulkhead.of(spec.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(spec.slots())
                .maxWaitDuration(spec.timeout())
                .build());
        this.breaker = CircuitBreaker.of(spec.name(), CircuitBreakerConfig.custom()
                .slidingWindowSize(guards.breakerWindow())
                .minimumNumberOfCalls(Math.min(4, guards.breakerWindow()))
                .failureRateThreshold(guards.breakerFailureRate())
                .waitDurationInOpenState(guards.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(e -> e instanceof CallFailure f && f.kind().backendFault())
                .build());
        this.retry = Retry.of(spec.name(), RetryConfig.custom()
                .maxAttempts(guards.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(guards.retryBackoff(), 2.0))
                .retryOnException(e -> e instanceof CallFailure f && f.kind().transientError())
                .build());
        this.limiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(spec.timeout())
                .cancelRunningFuture(true)
                .build());
    }

    public BackendSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** Whether routing may send it new work. */
    public boolean available() {
        var state = breaker.getState();
        return enabled && !draining && healthy && state != CircuitBreaker.State.OPEN
                && state != CircuitBreaker.State.FORCED_OPEN;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean draining() {
        return draining;
    }

    public boolean healthy() {
        return healthy;
    }

    public String circuit() {
        return breaker.getState().name();
    }

    /** How long a call usually takes here (a moving average), or empty before the first success. */
    public java.util.OptionalDouble serviceMillis() {
        double ms = serviceMs;
        return ms > 0 ? java.util.OptionalDouble.of(ms) : java.util.OptionalDouble.empty();
    }

    public int activeCalls() {
        return spec.slots() - bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setDraining(boolean draining) {
        this.draining = draining;
    }

    /** Runs the active probe; a backend that answers again gets its open circuit half-opened at once. */
    public boolean probe() {
        healthy = client.probe();
        if (healthy && breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToHalfOpenState();
        }
        return healthy;
    }

    public CoderReply complete(Assignment assignment) throws CallFailure {
        return complete(assignment, null);
    }

    /**
     * @param output receives the answer in pieces while it is produced (streamed), or null; an
     *               {@link OutputSink} also hears when a retry makes the pieces so far void
     */
    public CoderReply complete(Assignment assignment, Consumer<String> output) throws CallFailure {
        return guarded(tries -> {
            if (tries > 1 && output instanceof OutputSink sink) {
                sink.restart(tries);
            }
            return client.call(assignment, output);
        }, true);
    }

    /** Asks a question (a first judgement) behind the same guards as a coding call; chat backends only. */
    public CoderReply ask(Question question) throws CallFailure {
        return guarded(tries -> client.ask(question), false);
    }

    /** One try of a call; {@code tries} counts this one. */
    private interface Try {
        CoderReply call(int tries) throws CallFailure;
    }

    /** @param coding whether the call's time counts in the backend's usual call time, which routing plans with */
    private CoderReply guarded(Try call, boolean coding) throws CallFailure {
        long start = System.nanoTime();
        try {
            bulkhead.acquirePermission();
        } catch (BulkheadFullException e) {
            throw new CallFailure(ErrorKind.BUSY, name() + ": all " + spec.slots() + " slots stayed busy", millis(start), e);
        }
        var tries = new AtomicInteger();
        try {
            CoderReply reply = Retry.decorateCheckedSupplier(retry, () -> {
                int t = tries.incrementAndGet();
                return CircuitBreaker.decorateCheckedSupplier(breaker, () -> limited(() -> call.call(t), coding)).get();
            }).get();
            return reply.withRetries(tries.get() - 1, millis(start));
        } catch (CallNotPermittedException e) {
            throw new CallFailure(ErrorKind.CIRCUIT_OPEN, name() + ": circuit open after repeated failures", millis(start), e);
        } catch (CallFailure f) {
            if (f.kind() == ErrorKind.UNREACHABLE) {
                healthy = false; // it said so itself; the next probe that it answers brings it back
            }
            if (tries.get() > 1) {
                throw new CallFailure(f.kind(), f.getMessage() + " (after " + tries.get() + " tries)", millis(start), f);
            }
            throw f;
        } catch (Throwable t) {
            throw CallFailure.classify(name(), t, millis(start));
        } finally {
            bulkhead.onComplete();
        }
    }

    /** The call on its own thread, interrupted (its HTTP exchange or process cancelled) when time is up. */
    private CoderReply limited(Callable<CoderReply> call, boolean coding) throws CallFailure {
        long start = System.nanoTime();
        try {
            CoderReply reply = limiter.executeFutureSupplier(() -> CALLS.submit(call));
            if (coding) {
                double ms = Math.max(1, millis(start));
                serviceMs = serviceMs == 0 ? ms : 0.7 * serviceMs + 0.3 * ms;
            }
            return reply;
        } catch (TimeoutException e) {
            throw new CallFailure(ErrorKind.TIMEOUT, name() + ": no answer within " + spec.timeout().toMillis() + " ms",
                    millis(start), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailure(ErrorKind.INTERRUPTED, name() + ": interrupted", millis(start), e);
        } catch (CallFailure f) {
            throw f; // the time limiter rethrows what the call threw
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallFailure f) {
                throw f;
            }
            throw CallFailure.classify(name(), e.getCause(), millis(start));
        } catch (Exception e) {
            throw CallFailure.classify(name(), e, millis(start));
        }
    }

    private static long millis(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
