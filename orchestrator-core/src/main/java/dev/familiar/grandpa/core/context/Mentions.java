package dev.familiar.grandpa.core.context;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files and symbols a piece of a plan names, as a subtask's pack asks about them: paths with an
 * extension ({@code src/billing/RateLimiter.java}), and code in backticks or written as code is
 * ({@code RateLimiter}, {@code allow_request}, {@code Invoice.total()}).
 */
final class Mentions {
    private static final Pattern FILE = Pattern.compile("(?<![\\w/.-])((?:[\\w.-]+/)*[\\w-]+\\.[A-Za-z]{1,5})(?![\\w/])");
    private static final Pattern QUOTED = Pattern.compile("`([^`\\n]{1,80})`");
    private static final Pattern CODE_WORD = Pattern.compile(
            "\\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z]+(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]*)+)(?:\\(\\))?");
    private static final int MOST = 12;

    private Mentions() {}

    record Found(List<String> files, List<String> symbols) {}

    static Found in(String text) {
        var files = new LinkedHashSet<String>();
        var symbols = new LinkedHashSet<String>();
        Matcher quoted = QUOTED.matcher(text);
        while (quoted.find()) {
            String code = quoted.group(1).strip();
            if (looksLikeFile(code)) {
                files.add(code);
            } else if (code.matches("[\\w.]+(\\(\\))?")) {
                symbols.add(code.replace("()", ""));
            }
        }
        Matcher file = FILE.matcher(text);
        while (file.find()) {
            if (looksLikeFile(file.group(1))) {
                files.add(file.group(1));
            }
        }
        String withoutPaths = FILE.matcher(text).replaceAll(m -> looksLikeFile(m.group(1)) ? " " : Matcher.quoteReplacement(m.group()));
        Matcher word = CODE_WORD.matcher(withoutPaths); // not the words of a path
        while (word.find()) {
            symbols.add(word.group(1));
        }
        return new Found(files.stream().limit(MOST).toList(), symbols.stream().limit(MOST).toList());
    }

    /** A name with a source file's extension, not a sentence's "e.g." or a version number. */
    private static boolean looksLikeFile(String candidate) {
        return candidate.matches(".*\\.(java|kt|py|ts|tsx|js|jsx|go|rs|c|h|cc|cpp|hpp|cs|rb|php|sql|md|yml|yaml|json|toml"
                + "|xml|html|css|sh|gradle|properties)");
    }
}
