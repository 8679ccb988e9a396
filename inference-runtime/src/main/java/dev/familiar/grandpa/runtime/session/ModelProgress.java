package dev.familiar.grandpa.runtime.session;

import java.util.UUID;

/**
 * How far grandpa's model has got with an answer it is still writing (a plan can take minutes): the
 * pieces streamed so far (llama-server streams one token a piece), their characters, the time since
 * the request was sent, and the end of the text so far.
 */
public record ModelProgress(UUID taskId, Purpose purpose, int tokens, int chars, long elapsedMs, String tail) {}
