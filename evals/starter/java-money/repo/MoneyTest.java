public class MoneyTest {
    public static void main(String[] args) {
        check(Money.format(1205), "12.05");
        System.out.println("ok");
    }

    static void check(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new AssertionError("expected " + expected + " but was " + actual);
        }
    }
}
