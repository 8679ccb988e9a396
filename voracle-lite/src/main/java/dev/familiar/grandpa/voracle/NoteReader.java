package dev.familiar.grandpa.voracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads an Obsidian note: YAML front matter, headings, wiki links and tags. Pure: text in, {@link Note} out. */
final class NoteReader {
    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\R(.*?)\\R---\\R?", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[\\[([^\\]|#^]+)(?:[#^][^\\]|]*)?(?:\\|[^\\]]*)?]]");
    private static final Pattern TAG = Pattern.compile("(?<![\\w&#/])#([\\p{L}_][\\p{L}\\d_/-]*)");
    private static final Pattern FENCE = Pattern.compile("^(```|~~~)");
    /** Sections are cut to pieces of about this many characters, so one answer is a paragraph, not a book. */
    static final int PIECE = 1200;

    private NoteReader() {}

    static Note read(String path, String text) {
        String body = text.replace("\r\n", "\n");
        Map<?, ?> front = Map.of();
        Matcher fm = FRONT_MATTER.matcher(body);
        if (fm.find()) {
            front = frontMatter(fm.group(1));
            body = body.substring(fm.end());
        }
        var tags = new LinkedHashSet<String>(strings(front.get("tags")));
        var links = new LinkedHashSet<String>();
        var sections = new ArrayList<Note.Section>();
        String firstHeading = null;
        String heading = "";
        var section = new StringBuilder();
        boolean inCode = false;
        for (String line : body.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inCode = !inCode;
            }
            Matcher h = inCode ? null : HEADING.matcher(line);
            if (h != null && h.matches()) {
                add(sections, heading, section);
                heading = h.group(2);
                firstHeading = firstHeading == null ? heading : firstHeading;
                section.setLength(0);
                continue;
            }
            if (!inCode) {
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    links.add(link.group(1).strip());
                }
                Matcher tag = TAG.matcher(LINK.matcher(line).replaceAll(" "));
                while (tag.find()) {
                    tags.add(tag.group(1));
                }
            }
            section.append(line).append('\n');
        }
        add(sections, heading, section);
        String file = path.substring(path.lastIndexOf('/') + 1).replaceFirst("(?i)\\.md$", "");
        Object title = front.get("title");
        return new Note(path, title != null ? title.toString() : firstHeading != null ? firstHeading : file,
                tags.stream().map(t -> t.toLowerCase(Locale.ROOT)).distinct().toList(), List.copyOf(links), sections);
    }

    /** A section, in pieces of about {@link #PIECE} characters cut at paragraphs. */
    private static void add(List<Note.Section> sections, String heading, StringBuilder text) {
        var piece = new StringBuilder();
        for (String paragraph : text.toString().strip().split("\n\\s*\n")) {
            if (piece.length() > 0 && piece.length() + paragraph.length() > PIECE) {
                sections.add(new Note.Section(heading, piece.toString().strip()));
                piece.setLength(0);
            }
            piece.append(paragraph).append("\n\n");
        }
        if (!piece.toString().isBlank()) {
            sections.add(new Note.Section(heading, piece.toString().strip()));
        }
    }

    private static Map<?, ?> frontMatter(String yaml) {
        try {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
            return parsed instanceof Map<?, ?> map ? map : Map.of();
        } catch (RuntimeException e) {
            return Map.of(); // a note with broken front matter is still a note
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().filter(v -> v != null).map(v -> v.toString().replaceFirst("^#", "")).toList();
        }
        if (value != null) {
            return List.of(value.toString().split("[,\\s]+")).stream().filter(s -> !s.isBlank())
                    .map(s -> s.replaceFirst("^#", "")).toList();
        }
        return List.of();
    }
}
