public class HeldOutTest {
    public static void main(String[] args) {
        if (!Words.isPalindrome("A man, a plan, a canal: Panama!")) {
            throw new AssertionError("punctuation does not count");
        }
        if (Words.isPalindrome("grandpa")) {
            throw new AssertionError("grandpa is no palindrome");
        }
        if (!Words.isPalindrome("") || !Words.isPalindrome("Ésé")) {
            throw new AssertionError("empty and accented letters");
        }
        System.out.println("ok");
    }
}
