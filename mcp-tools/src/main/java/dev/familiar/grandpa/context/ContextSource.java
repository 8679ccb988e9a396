package dev.familiar.grandpa.context;

import java.util.List;
import java.util.Map;

/** Somewhere context comes from: one tool of one server. */
public interface ContextSource {
    /** The server and tool, for problems and logs. */
    String describe();

    /** What the tool says it does, for a model choosing among tools; empty where it says nothing. */
    default String description() {
        return "";
    }

    /** The items the tool finds for these arguments, best first, each named as coming from {@code role}. */
    List<ContextItem> find(String role, Map<String, Object> arguments) throws Exception;
}
