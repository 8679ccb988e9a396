/** Small things about words. */
public final class Words {
    private Words() {}

    public static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }
}
