package dev.familiar.grandpa.argus;

import java.util.List;

/** What a file defines and names. */
record Symbols(String path, List<Definition> definitions, List<Reference> references) {

    /**
     * A symbol defined: its kind as a person calls it, the definition it sits in (a method's class), its
     * line (from 1), its signature (the declaration up to its body) and the first lines of its text.
     */
    record Definition(String name, String kind, String container, String path, int line, String signature,
                      String snippet) {

        String qualified() {
            return container == null ? name : container + "." + name;
        }
    }

    /** A name used on a line (not where it is defined), with that line's text. */
    record Reference(String name, String path, int line, String text) {}
}
