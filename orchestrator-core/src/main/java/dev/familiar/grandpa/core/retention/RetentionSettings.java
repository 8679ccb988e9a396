package dev.familiar.grandpa.core.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long what grandpa records is kept ({@code grandpa.retention.*}), so the database stays bounded
 * over months.
 *
 * @param finishedTasks  DONE and CANCELLED tasks, with everything about them, are deleted this long after
 *                       they ended; BLOCKED tasks are kept until a person acts
 * @param outputEvents   the pieces of coders' answers relayed while they were produced are deleted after
 *                       this (each attempt keeps its whole answer)
 * @param every          how often the pruning runs (on one instance at a time)
 */
@ConfigurationProperties("grandpa.retention")
record RetentionSettings(
        @DefaultValue("90d") Duration finishedTasks,
        @DefaultValue("7d") Duration outputEvents,
        @DefaultValue("1h") Duration every) {}
