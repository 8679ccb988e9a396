import java.util.Locale;

/** Small things about words. */
public final class Words {
    private Words() {}

    public static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }

    /** The same read backwards, letters and digits only, whatever their case. */
    public static boolean isPalindrome(String text) {
        String kept = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd}]", "");
        return kept.equals(reverse(kept));
    }
}
