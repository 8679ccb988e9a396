import java.util.ArrayDeque;

/** A stack that holds at most {@code capacity} items. */
public class BoundedStack<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final int capacity;

    public BoundedStack(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a stack holds at least one item, not " + capacity);
        }
        this.capacity = capacity;
    }

    public void push(T item) {
        if (items.size() >= capacity) {
            throw new IllegalStateException("the stack is full (" + capacity + ")");
        }
        items.push(item);
    }

    public T pop() {
        return items.pop();
    }

    public int size() {
        return items.size();
    }
}
