package dev.familiar.grandpa.core.work;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How tasks are worked ({@code grandpa.engine.*}).
 *
 * @param maxSubtasks         the largest plan accepted
 * @param planAttempts        how often grandpa is asked for a valid plan before the task is blocked
 * @param retriesWithFeedback retries on the same backend after a "revise" verdict
 * @param replans             re-plans per task before it is blocked
 * @param modelRetryInterval  how long a task waits before trying an unreachable model again
 * @param scheduleSearchSteps search budget for a plan's schedule; the best found so far is used after it
 * @param stepThreads         threads that decide and start steps; waiting tasks hold none
 * @param pollInterval        how often this instance looks for tasks that are due or left by a dead instance
 * @param claimFor            how long a claim lasts unless renewed (every third of it): a dead instance's
 *                            tasks are taken over after this
 * @param maxStepFailures     failed steps in a row (an error that is not the model being away) before
 *                            the task is blocked with the error
 * @param workerName          this instance's name in the claims; empty: host name, process id and a random part
 * @param shutdownGrace       when the service stops, how long calls already running may take to finish and store
 *                            their result; nothing new starts meanwhile, and what still runs after it is cut off
 *                            (and made again by whoever works the task next)
 * @param decisionLog         a directory where every decision is written (its state, time, rules and step, a JSON
 *                            line each), to see why a task went as it did and to record replay fixtures; empty: none
 */
public record EngineSettings(
        @DefaultValue("12") int maxSubtasks,
        @DefaultValue("2") int planAttempts,
        @DefaultValue("1") int retriesWithFeedback,
        @DefaultValue("1") int replans,
        @DefaultValue("30s") Duration modelRetryInterval,
        @DefaultValue("100000") int scheduleSearchSteps,
        @DefaultValue("4") int stepThreads,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("15s") Duration claimFor,
        @DefaultValue("5") int maxStepFailures,
        String workerName,
        @DefaultValue("20s") Duration shutdownGrace,
        Path decisionLog) {}
