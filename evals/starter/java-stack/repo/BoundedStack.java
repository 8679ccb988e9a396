import java.util.ArrayDeque;

/** A stack that holds at most {@code capacity} items. */
public class BoundedStack<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final int capacity;

    public BoundedStack(int capacity) {
        this.capacity = capacity;
    }

    public void push(T item) {
        items.push(item);
    }

    public T pop() {
        return items.pop();
    }

    public int size() {
        return items.size();
    }
}
