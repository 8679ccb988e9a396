package dev.familiar.grandpa.argus;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterTypescript;

/**
 * The languages argus-lite reads, each with its tree-sitter grammar, the syntax nodes that define a
 * symbol (by the kind a person calls it) and the leaf nodes that name one.
 */
enum Language {
    JAVA(TreeSitterJava::new, Set.of("java"), Map.of("class_declaration", "class", "interface_declaration", "interface",
            "enum_declaration", "enum", "record_declaration", "record", "annotation_type_declaration", "annotation",
            "method_declaration", "method", "constructor_declaration", "constructor"),
            Set.of("identifier", "type_identifier")),
    PYTHON(TreeSitterPython::new, Set.of("py"), Map.of("class_definition", "class", "function_definition", "function"),
            Set.of("identifier")),
    GO(TreeSitterGo::new, Set.of("go"), Map.of("function_declaration", "func", "method_declaration", "method",
            "type_spec", "type"), Set.of("identifier", "type_identifier", "field_identifier")),
    TYPESCRIPT(TreeSitterTypescript::new, Set.of("ts", "mts", "cts", "tsx"), Map.of("function_declaration", "function",
            "class_declaration", "class", "abstract_class_declaration", "class", "interface_declaration", "interface",
            "type_alias_declaration", "type", "enum_declaration", "enum", "method_definition", "method",
            "method_signature", "method"), Set.of("identifier", "type_identifier", "property_identifier"));

    private final Supplier<TSLanguage> grammar;
    private final Set<String> extensions;
    private final Map<String, String> definitions;
    private final Set<String> names;

    Language(Supplier<TSLanguage> grammar, Set<String> extensions, Map<String, String> definitions, Set<String> names) {
        this.grammar = grammar;
        this.extensions = extensions;
        this.definitions = definitions;
        this.names = names;
    }

    static Optional<Language> of(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        for (Language language : values()) {
            if (path.contains(".") && language.extensions.contains(extension)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }

    TSLanguage grammar() {
        return grammar.get();
    }

    /** The kind of symbol a node of this type defines, or null. */
    String kindOf(String nodeType) {
        return definitions.get(nodeType);
    }

    boolean names(String nodeType) {
        return names.contains(nodeType);
    }
}
