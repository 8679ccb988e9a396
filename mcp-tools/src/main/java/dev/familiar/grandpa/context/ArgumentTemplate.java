package dev.familiar.grandpa.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's arguments as a role names them, each a text with placeholders ({@code {query}},
 * {@code {symbols}}, ...: {@link ContextQuery#NAMES}) filled from the query. An argument whose
 * placeholders all come out empty is left out, so a tool is not asked for symbols when none are named.
 */
public record ArgumentTemplate(Map<String, String> arguments) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    public ArgumentTemplate {
        if (arguments == null || arguments.isEmpty()) {
            throw new IllegalArgumentException("a role's tool needs at least one argument, e.g. query: \"{query}\"");
        }
        arguments = new TreeMap<>(arguments);
        for (var argument : arguments.entrySet()) {
            Matcher m = PLACEHOLDER.matcher(argument.getValue());
            while (m.find()) {
                if (!ContextQuery.NAMES.contains(m.group(1))) {
                    throw new IllegalArgumentException("argument " + argument.getKey() + " names {" + m.group(1)
                            + "}, which is none of " + ContextQuery.NAMES);
                }
            }
        }
    }

    /** The template most tools want: the query as one argument of this name. */
    public static ArgumentTemplate query(String argument) {
        return new ArgumentTemplate(Map.of(argument, "{query}"));
    }

    /** The filled arguments; empty when every argument came out empty (the tool is then not asked). */
    public Map<String, Object> fill(ContextQuery query) {
        Map<String, String> values = query.values();
        var filled = new LinkedHashMap<String, Object>();
        boolean asked = false;
        for (var argument : arguments.entrySet()) {
            Matcher m = PLACEHOLDER.matcher(argument.getValue());
            var text = new StringBuilder();
            boolean anyValue = false;
            boolean anyPlaceholder = false;
            while (m.find()) {
                anyPlaceholder = true;
                String value = values.get(m.group(1));
                anyValue |= !value.isEmpty();
                m.appendReplacement(text, Matcher.quoteReplacement(value));
            }
            m.appendTail(text);
            if (anyValue || !anyPlaceholder) {
                filled.put(argument.getKey(), text.toString().strip());
            }
            asked |= anyValue;
        }
        return asked ? filled : Map.of();
    }

    public List<String> names() {
        return List.copyOf(arguments.keySet());
    }
}
