import java.math.BigDecimal;

/** Amounts in cents. */
public final class Money {
    private Money() {}

    /** 1205 -> "12.05", -5 -> "-0.05" */
    public static String format(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }
}
