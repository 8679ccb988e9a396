package dev.familiar.grandpa.core.openai;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The OpenAI-compatible door ({@code grandpa.openai.*}).
 *
 * @param followFor    the longest one chat completion follows its task; a task still running then is
 *                     answered with how far it got, and asking again in the conversation follows it on
 * @param contextChars of an earlier conversation, how much a new task's goal carries (its end)
 */
@ConfigurationProperties("grandpa.openai")
record OpenAiDoorSettings(
        @DefaultValue("30m") Duration followFor,
        @DefaultValue("20000") int contextChars) {}
