package dev.familiar.grandpa.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What context is asked for: a task (title, goal, repository) or one subtask of it (its instructions,
 * the files and symbols the plan names). A role's argument template is filled from {@link #values()}.
 *
 * @param instructions the subtask's instructions, or null when the whole task asks
 */
public record ContextQuery(String title, String goal, String repository, String instructions, List<String> files,
                           List<String> symbols) {

    /** The placeholders a role's argument template may name. */
    public static final List<String> NAMES = List.of("query", "title", "goal", "repository", "instructions", "files",
            "symbols");

    public ContextQuery {
        files = files == null ? List.of() : List.copyOf(files);
        symbols = symbols == null ? List.of() : List.copyOf(symbols);
    }

    public static ContextQuery task(String title, String goal, String repository) {
        return new ContextQuery(title, goal, repository, null, List.of(), List.of());
    }

    /** Each placeholder's value; {@code query} is the subtask's instructions, or the task's title and goal. */
    public Map<String, String> values() {
        var values = new LinkedHashMap<String, String>();
        values.put("query", instructions != null ? title + "\n" + instructions : title + "\n" + goal);
        values.put("title", title);
        values.put("goal", goal);
        values.put("repository", repository);
        values.put("instructions", instructions);
        values.put("files", String.join(", ", files));
        values.put("symbols", String.join(", ", symbols));
        values.replaceAll((name, value) -> value == null ? "" : value.strip());
        return values;
    }

    /** How the query reads in a stored pack. */
    public String describe() {
        var text = new StringBuilder(values().get("query"));
        if (repository != null) {
            text.append("\nRepository: ").append(repository);
        }
        if (!files.isEmpty()) {
            text.append("\nFiles: ").append(String.join(", ", files));
        }
        if (!symbols.isEmpty()) {
            text.append("\nSymbols: ").append(String.join(", ", symbols));
        }
        return text.toString();
    }
}
