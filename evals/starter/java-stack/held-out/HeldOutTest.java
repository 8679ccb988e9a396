public class HeldOutTest {
    public static void main(String[] args) {
        var stack = new BoundedStack<Integer>(2);
        stack.push(1);
        stack.push(2);
        try {
            stack.push(3);
            throw new AssertionError("full");
        } catch (IllegalStateException expected) {
            // full
        }
        if (stack.size() != 2 || stack.pop() != 2) {
            throw new AssertionError("the refused push changed the stack");
        }
        stack.push(4);
        try {
            new BoundedStack<String>(0);
            throw new AssertionError("a stack that can hold nothing");
        } catch (IllegalArgumentException expected) {
            // refused
        }
        System.out.println("ok");
    }
}
