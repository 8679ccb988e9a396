package dev.familiar.grandpa.runtime.session;

/**
 * grandpa's answer reached its token limit before it ended: it is not an answer (a summary may still
 * use what was written, {@link #partial}).
 */
public class CutOffException extends ModelAnswerException {
    private final int limit;
    private final String partial;

    public CutOffException(Purpose purpose, int limit, String partial) {
        super("grandpa's " + purpose.label() + " answer was cut off at its limit of " + limit + " tokens");
        this.limit = limit;
        this.partial = partial == null ? "" : partial;
    }

    public int limit() {
        return limit;
    }

    /** What was written before the limit, reasoning left out. */
    public String partial() {
        return partial;
    }
}
