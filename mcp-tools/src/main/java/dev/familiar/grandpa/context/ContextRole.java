package dev.familiar.grandpa.context;

import java.time.Duration;

/**
 * What a source is to grandpa ({@code code-symbols}, {@code notes}, or any other the owner names): the
 * server's tool that plays it, the arguments it is called with, how long grandpa waits for it, and the
 * most of a pack it may fill (in tokens).
 */
public record ContextRole(String name, ContextSource source, ArgumentTemplate arguments, Duration timeout, int maxTokens) {
    public ContextRole {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a context role's name is lower-case letters, digits and dashes, not '"
                    + name + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("context role " + name + " needs a positive timeout");
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("context role " + name + " needs a positive max-tokens");
        }
    }
}
