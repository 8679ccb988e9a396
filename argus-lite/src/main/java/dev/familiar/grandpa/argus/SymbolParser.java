package dev.familiar.grandpa.argus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSNode;
import org.treesitter.TSParser;

/**
 * Reads one source file with its language's tree-sitter grammar into the symbols it defines and the
 * names it uses. tree-sitter recovers from syntax errors, so a file that does not compile still gives
 * what it can.
 */
final class SymbolParser {
    static final int SNIPPET_LINES = 12;
    private static final int SIGNATURE_CHARS = 240;

    private SymbolParser() {}

    static Symbols parse(Language language, String path, String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        var parser = new TSParser();
        parser.setLanguage(language.grammar());
        var tree = parser.parseStringEncoding(null, source, TSInputEncoding.TSInputEncodingUTF8);
        String[] lines = source.split("\n", -1);
        var definitions = new ArrayList<Symbols.Definition>();
        var references = new ArrayList<Symbols.Reference>();
        var defining = new HashSet<Integer>(); // start bytes of the names that define
        walk(language, tree.getRootNode(), null, bytes, path, definitions, defining);
        collect(language, tree.getRootNode(), bytes, lines, path, defining, references);
        return new Symbols(path, definitions, references.stream().map(r -> new Symbols.Reference(r.name(), r.path(),
                r.line(), r.text(), innermost(definitions, r.line()))).toList());
    }

    private static void walk(Language language, TSNode node, String container, byte[] bytes, String path,
                             List<Symbols.Definition> definitions, Set<Integer> defining) {
        String kind = language.kindOf(node.getType());
        TSNode name = kind == null ? null : node.getChildByFieldName("name");
        String inner = container;
        if (name != null && !name.isNull()) {
            String text = text(bytes, name);
            defining.add(name.getStartByte());
            if (language == Language.PYTHON && kind.equals("function") && container != null) {
                kind = "method";
            }
            String body = text(bytes, node);
            String owner = language == Language.GO && kind.equals("method") ? receiver(node, bytes) : container;
            definitions.add(new Symbols.Definition(text, kind, owner, path, node.getStartPoint().getRow() + 1,
                    node.getEndPoint().getRow() + 1, signature(body), snippet(body), CodeIndex.words(text)));
            inner = text;
        }
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            walk(language, node.getNamedChild(i), inner, bytes, path, definitions, defining);
        }
    }

    /** The smallest definition spanning the line: the function or method a use sits in. */
    private static String innermost(List<Symbols.Definition> definitions, int line) {
        Symbols.Definition best = null;
        for (Symbols.Definition d : definitions) {
            if (d.line() <= line && line <= d.lastLine()
                    && (best == null || d.lastLine() - d.line() < best.lastLine() - best.line())) {
                best = d;
            }
        }
        return best == null ? null : best.qualified();
    }

    /** A Go method's receiver type ({@code Health} of {@code func (h *Health) Status()}), its container. */
    private static String receiver(TSNode method, byte[] bytes) {
        TSNode receiver = method.getChildByFieldName("receiver");
        return receiver == null || receiver.isNull() ? null : firstOfType(receiver, "type_identifier", bytes);
    }

    private static String firstOfType(TSNode node, String type, byte[] bytes) {
        if (node.getType().equals(type)) {
            return text(bytes, node);
        }
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            String found = firstOfType(node.getNamedChild(i), type, bytes);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void collect(Language language, TSNode node, byte[] bytes, String[] lines, String path,
                                Set<Integer> defining, List<Symbols.Reference> references) {
        if (node.getNamedChildCount() == 0) {
            if (language.names(node.getType()) && !defining.contains(node.getStartByte())) {
                int row = node.getStartPoint().getRow();
                references.add(new Symbols.Reference(text(bytes, node), path, row + 1,
                        row < lines.length ? lines[row].strip() : "", null));
            }
            return;
        }
        for (int i = 0; i < node.getNamedChildCount(); i++) {
            collect(language, node.getNamedChild(i), bytes, lines, path, defining, references);
        }
    }

    private static String text(byte[] bytes, TSNode node) {
        int start = Math.max(0, node.getStartByte());
        int end = Math.min(bytes.length, node.getEndByte());
        return new String(bytes, start, Math.max(0, end - start), StandardCharsets.UTF_8);
    }

    /** The declaration up to its body: to the first brace or line-ending colon, else its first line. */
    static String signature(String body) {
        int brace = body.indexOf('{');
        int colon = body.indexOf(":\n");
        int end = brace < 0 && colon < 0 ? (body.indexOf('\n') < 0 ? body.length() : body.indexOf('\n'))
                : brace < 0 ? colon + 1 : colon < 0 ? brace : Math.min(brace, colon + 1);
        String signature = body.substring(0, end).replaceAll("\\s+", " ").strip();
        return signature.length() > SIGNATURE_CHARS ? signature.substring(0, SIGNATURE_CHARS) + " ..." : signature;
    }

    private static String snippet(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length <= SNIPPET_LINES) {
            return body.strip();
        }
        return String.join("\n", List.of(lines).subList(0, SNIPPET_LINES)).stripTrailing() + "\n    ...";
    }
}
