package dev.familiar.grandpa.voracle;

import java.util.List;

/**
 * A note of the vault as read: its path inside the vault, its title (front matter, first heading or file
 * name), its tags (front matter and inline {@code #tags}), the notes it links to ({@code [[wiki links]]}),
 * and its body in sections, each under its heading.
 */
record Note(String path, String title, List<String> tags, List<String> links, List<Section> sections) {

    record Section(String heading, String text) {}

    Note {
        tags = List.copyOf(tags);
        links = List.copyOf(links);
        sections = List.copyOf(sections);
    }

    /** The first line of every answer about the note: what it is and where it lives. */
    String reference() {
        return title + " (" + path + ")" + (tags.isEmpty() ? "" : " #" + String.join(" #", tags));
    }
}
