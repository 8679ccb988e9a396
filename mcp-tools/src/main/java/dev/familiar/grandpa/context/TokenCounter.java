package dev.familiar.grandpa.context;

import java.util.OptionalInt;

/** Counts a text's tokens the way the model that reads it does, where it can. */
public interface TokenCounter {
    /** What counts: "grandpa's model (/tokenize)", say. */
    String name();

    /** The text's tokens; empty when the tokenizer cannot be asked now (the pack then estimates, and says so). */
    OptionalInt count(String text);

    /** No tokenizer: four characters a token, the estimate every pack falls back to. */
    TokenCounter ESTIMATE = new TokenCounter() {
        @Override
        public String name() {
            return "estimated at 4 characters a token";
        }

        @Override
        public OptionalInt count(String text) {
            return OptionalInt.empty();
        }
    };

    static int estimate(String text) {
        return (text.length() + 3) / 4;
    }
}
