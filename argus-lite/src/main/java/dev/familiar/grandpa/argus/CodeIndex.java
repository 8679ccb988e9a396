package dev.familiar.grandpa.argus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The symbols of one repository at the commit its ref names. Before every question the ref is looked at
 * again; when it moved (a fetch), only the files that changed between the two commits are read again.
 */
final class CodeIndex {
    private final String name;
    private final GitReader git;
    private final String ref;
    private final Map<String, Symbols> byFile = new HashMap<>();
    /** Every use by name, sorted by place; made again on the first question after the files changed. */
    private Map<String, List<Symbols.Reference>> uses;
    private String commit;

    CodeIndex(String name, GitReader git, String ref) {
        this.name = name;
        this.git = git;
        this.ref = ref;
    }

    String name() {
        return name;
    }

    /** The commit indexed now; empty where the ref names none yet. */
    synchronized Optional<String> refresh() {
        Optional<String> now = git.commit(ref);
        if (now.isEmpty() || now.get().equals(commit)) {
            return now;
        }
        if (commit == null) {
            read(git.files(now.get()));
        } else {
            GitReader.Changes changes = git.changes(commit, now.get());
            changes.deleted().forEach(byFile::remove);
            changes.changed().forEach(e -> byFile.remove(e.path()));
            read(changes.changed());
        }
        commit = now.get();
        uses = null;
        return now;
    }

    private void read(List<GitReader.Entry> entries) {
        List<GitReader.Entry> source = entries.stream().filter(e -> Language.of(e.path()).isPresent()).toList();
        Map<String, String> texts = git.texts(source.stream().map(GitReader.Entry::blob).distinct().toList());
        for (GitReader.Entry entry : source) {
            String text = texts.get(entry.blob());
            if (text != null) {
                byFile.put(entry.path(), SymbolParser.parse(Language.of(entry.path()).orElseThrow(), entry.path(), text));
            }
        }
    }

    synchronized long definitionCount() {
        return definitionsStream().count();
    }

    /** The definitions of a name ({@code allow}) or a qualified one ({@code RateLimiter.allow}). */
    synchronized List<Symbols.Definition> definitions(String symbol) {
        return definitionsStream().filter(d -> d.name().equals(symbol) || d.qualified().equals(symbol)
                        || d.qualified().endsWith("." + symbol))
                .sorted(Comparator.comparing(Symbols.Definition::path).thenComparingInt(Symbols.Definition::line)).toList();
    }

    /** Where a name is used, outside its definitions. */
    synchronized List<Symbols.Reference> references(String symbol) {
        if (uses == null) {
            uses = new HashMap<>();
            byFile.values().forEach(s -> s.references().forEach(r -> uses.computeIfAbsent(r.name(), n -> new ArrayList<>())
                    .add(r)));
            uses.values().forEach(list -> list.sort(Comparator.comparing(Symbols.Reference::path)
                    .thenComparingInt(Symbols.Reference::line)));
        }
        return List.copyOf(uses.getOrDefault(symbol.substring(symbol.lastIndexOf('.') + 1), List.of()));
    }

    /**
     * The definitions that answer a question best: those of the symbols named, then those whose name's
     * words (camelCase and snake_case split) the question's words share most, types before members.
     */
    synchronized List<Symbols.Definition> search(String question, List<String> symbols, int limit) {
        Set<String> asked = words(question);
        var scored = new ArrayList<Map.Entry<Symbols.Definition, Double>>();
        definitionsStream().forEach(d -> {
            double score = 0;
            if (symbols.contains(d.name()) || symbols.contains(d.qualified())) {
                score += 10;
            }
            Set<String> own = d.words();
            long shared = own.stream().filter(w -> asked.stream().anyMatch(a -> alike(a, w))).count();
            score += 2.0 * shared / own.size();
            if (question.contains(d.name()) && d.name().length() > 2) {
                score += 3;
            }
            if (score > 0) {
                score += Set.of("class", "interface", "record", "enum", "type").contains(d.kind()) ? 0.5 : 0;
                scored.add(Map.entry(d, score));
            }
        });
        return scored.stream().sorted(Map.Entry.<Symbols.Definition, Double>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().path()).thenComparingInt(e -> e.getKey().line()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    private Stream<Symbols.Definition> definitionsStream() {
        return byFile.values().stream().flatMap(s -> s.definitions().stream());
    }

    /** The same word, or one's stem in the other ("limit", "limiter", "limiting"): no stemmer for code names. */
    static boolean alike(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        int common = Math.min(a.length(), b.length());
        return common >= 4 && (a.startsWith(b) || b.startsWith(a))
                || common >= 5 && a.regionMatches(0, b, 0, 5);
    }

    /** A text's words, lower case, code names split where their words meet. */
    static Set<String> words(String text) {
        String split = text.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
        var words = new TreeSet<String>();
        for (String word : split.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
            if (word.length() > 2) {
                words.add(word);
            }
        }
        return words;
    }
}
