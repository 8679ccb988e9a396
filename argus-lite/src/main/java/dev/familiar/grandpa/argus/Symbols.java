package dev.familiar.grandpa.argus;

import java.util.List;
import java.util.Set;

/** What a file defines and names. */
record Symbols(String path, List<Definition> definitions, List<Reference> references) {

    /**
     * A symbol defined: its kind as a person calls it, the definition it sits in (a method's class), its
     * first and last lines (from 1), its signature (the declaration up to its body), its first lines, and its
     * name's words (as searches compare them, worked out once).
     */
    record Definition(String name, String kind, String container, String path, int line, int lastLine, String signature,
                      String snippet, Set<String> words) {

        String qualified() {
            return container == null ? name : container + "." + name;
        }
    }

    /** A name used on a line (not where it is defined), with that line's text and the definition it is in (or null). */
    record Reference(String name, String path, int line, String text, String within) {}
}
