package dev.familiar.grandpa.context;

import java.util.Comparator;
import java.util.List;

/**
 * The context a task works from, as the broker gathered it: items in a fixed order (by source, then
 * rank), and what went wrong with sources that did not answer in time.
 */
public record ContextPack(String query, List<ContextItem> items, List<String> problems) {

    public ContextPack {
        items = items.stream().sorted(Comparator.comparing(ContextItem::source).thenComparingInt(ContextItem::rank)).toList();
        problems = List.copyOf(problems);
    }

    public static ContextPack empty(String query) {
        return new ContextPack(query, List.of(), List.of());
    }

    public int tokens() {
        return items.stream().mapToInt(ContextItem::tokens).sum();
    }

    /**
     * The pack as it goes into a prompt, the same bytes for the same items every time (fixed order,
     * line ends and trailing blanks normalised), so a prompt that carries it stays cacheable.
     */
    public String render() {
        if (items.isEmpty()) {
            return "";
        }
        var text = new StringBuilder("Context:\n");
        for (ContextItem item : items) {
            text.append("\n### ").append(item.source()).append(": ").append(clean(item.reference())).append('\n')
                    .append(clean(item.text())).append('\n');
        }
        return text.toString();
    }

    private static String clean(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \t]+\n", "\n").strip();
    }
}
