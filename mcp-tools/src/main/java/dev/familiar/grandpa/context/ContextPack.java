package dev.familiar.grandpa.context;

import java.util.List;

/**
 * The context a task or a subtask works from, as the broker gathered it: the items kept, best first
 * (fused rank across sources), and what was left out and why.
 *
 * @param countedBy how the tokens were counted: the model's tokenizer, or the estimate (and why)
 * @param problems  sources that failed (not those that were late: those are cuts)
 */
public record ContextPack(String query, List<Entry> entries, List<Cut> cuts, List<String> problems, String countedBy,
                          int budget, int tokens) {

    /** What every non-empty rendering starts with. */
    static final String HEADER = "Context:\n";

    /** An item kept, its fused score and its tokens as counted (of its part of the rendering). */
    public record Entry(ContextItem item, double score, int tokens) {}

    /** Something left out of the pack. */
    public record Cut(String source, String reference, Reason reason, String detail) {}

    public enum Reason {
        /** it did not fit the pack's budget */
        BUDGET,
        /** its source did not answer in time */
        TIME,
        /** another source's item carries the same text */
        DUPLICATE
    }

    public ContextPack {
        entries = List.copyOf(entries);
        cuts = List.copyOf(cuts);
        problems = List.copyOf(problems);
    }

    public List<ContextItem> items() {
        return entries.stream().map(Entry::item).toList();
    }

    /**
     * The pack as it goes into a prompt, the same bytes for the same items every time (best first, line
     * ends and trailing blanks normalised), so a prompt that carries it stays cacheable.
     */
    public String render() {
        if (entries.isEmpty()) {
            return "";
        }
        var text = new StringBuilder(HEADER);
        for (Entry entry : entries) {
            text.append(entry.item().rendered());
        }
        return text.toString();
    }
}
