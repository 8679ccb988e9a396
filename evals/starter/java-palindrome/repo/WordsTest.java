public class WordsTest {
    public static void main(String[] args) {
        if (!Words.reverse("abc").equals("cba")) {
            throw new AssertionError("reverse");
        }
        if (!Words.isPalindrome("Never odd or even")) {
            throw new AssertionError("case and spaces do not count");
        }
        System.out.println("ok");
    }
}
