package dev.familiar.grandpa.store.eval;

import java.time.Instant;
import java.util.UUID;

/**
 * A run of a bake-off suite: every case (times {@code repeats}) as a real task, {@code parallel} at a time.
 *
 * @param setup  the named setup it ran under, or null for the service as configured
 * @param standIn whether a model it ran on said it is a stand-in (its results say nothing about real models)
 * @param models  the models it ran on, as JSON (grandpa's and the coders', each with whether it is a stand-in)
 */
public record EvalRun(UUID id, String label, String suite, String suiteFolder, String setup, int repeats, int parallel,
                      EvalRunStatus status, boolean standIn, String models, Instant createdAt, Instant finishedAt) {}
