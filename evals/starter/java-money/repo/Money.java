/** Amounts in cents. */
public final class Money {
    private Money() {}

    /** 1205 -> "12.05" */
    public static String format(long cents) {
        return cents / 100 + "." + cents % 100;
    }
}
