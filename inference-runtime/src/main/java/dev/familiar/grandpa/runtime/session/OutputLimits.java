package dev.familiar.grandpa.runtime.session;

/**
 * The most tokens an answer may have, per purpose, sent as {@code max_tokens} / {@code n_predict}. A
 * limit left out (null, as configuration binds one not given) takes its default.
 */
public record OutputLimits(Integer plan, Integer judge, Integer integrate) {
    public static final OutputLimits DEFAULT = new OutputLimits(null, null, null);

    public OutputLimits {
        plan = plan == null ? 4096 : plan;
        judge = judge == null ? 1024 : judge;
        integrate = integrate == null ? 300 : integrate;
    }

    public int of(Purpose purpose) {
        return switch (purpose) {
            case PLAN -> plan;
            case JUDGE -> judge;
            case INTEGRATE -> integrate;
        };
    }
}
