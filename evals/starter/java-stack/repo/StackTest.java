public class StackTest {
    public static void main(String[] args) {
        var stack = new BoundedStack<String>(1);
        stack.push("a");
        try {
            stack.push("b");
            throw new AssertionError("a full stack took another item");
        } catch (IllegalStateException expected) {
            // full
        }
        System.out.println("ok");
    }
}
