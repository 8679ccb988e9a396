public class HeldOutTest {
    public static void main(String[] args) {
        MoneyTest.check(Money.format(0), "0.00");
        MoneyTest.check(Money.format(7), "0.07");
        MoneyTest.check(Money.format(-1205), "-12.05");
        MoneyTest.check(Money.format(-5), "-0.05");
        MoneyTest.check(Money.format(Long.MIN_VALUE), "-92233720368547758.08");
        System.out.println("ok");
    }
}
