package dev.familiar.grandpa.context;

/**
 * One piece of context from a source: a code symbol from argus, a note from voracle.
 *
 * @param rank      its place in the source's answer, 0 first
 * @param reference what it is and where it lives (a symbol and its file, a note's title)
 */
public record ContextItem(String source, int rank, String reference, String text) {

    /** The item's part of a pack's rendering (a blank line, then the item), which is what its tokens are counted of. */
    String rendered() {
        return "\n### " + source + ": " + clean(reference) + "\n" + clean(text) + "\n";
    }

    /** The text compared for duplicates: another source's copy of the same text is the same item. */
    String sameness() {
        return clean(text).replaceAll("\\s+", " ");
    }

    static String clean(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \t]+\n", "\n").strip();
    }
}
