package dev.familiar.grandpa.core.grandpa;

/** grandpa's answer reached its token limit before it ended: it is not an answer. */
public class CutOffException extends ModelAnswerException {
    private final int limit;

    public CutOffException(Purpose purpose, int limit) {
        super("grandpa's " + purpose.label() + " answer was cut off at its limit of " + limit + " tokens");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
