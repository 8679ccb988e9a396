package dev.familiar.grandpa.context;

/**
 * One piece of context from a source: a code symbol from argus, a note from voracle.
 *
 * @param rank      its place in the source's answer, 0 first
 * @param reference what it is and where it lives (a symbol and its file, a note's title)
 */
public record ContextItem(String source, int rank, String reference, String text) {

    /** Tokens, estimated at four characters a token: budgets need a bound, not the model's count. */
    public int tokens() {
        return (reference.length() + text.length() + 3) / 4;
    }
}
