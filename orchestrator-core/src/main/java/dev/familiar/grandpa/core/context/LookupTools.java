package dev.familiar.grandpa.core.context;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;
import java.util.Map;

/**
 * The context roles grandpa may look things up in while it plans, as the tools its model is offered: one per
 * role asked at the plan stage, named as the role, taking a query in words and the code symbols it is about.
 * They come from configuration alone (never from what a server says at run time), so they are the same on
 * every request of the model's sessions and never cost the prompt cache.
 */
public final class LookupTools {
    /** grandpa's own words for the roles its shipped servers play. */
    private static final Map<String, String> KNOWN = Map.of(
            VoracleLiteSettings.ROLE, "Searches the owner's notes (runbooks, decisions, conventions) by words and meaning; "
                    + "answers the passages that match best.",
            ArgusLiteSettings.ROLE, "Finds code in the task's repository: where symbols are defined and where they are "
                    + "used, by name or by words.");

    private LookupTools() {}

    /** The tools for these settings; none where grandpa is not offered lookups. */
    public static List<ToolSpecification> of(ContextSettings settings) {
        if (settings.lookups() == 0) {
            return List.of();
        }
        return settings.roles().entrySet().stream().filter(r -> r.getValue().stages().contains("plan"))
                .map(r -> tool(r.getKey(), r.getValue())).toList();
    }

    /** What a role finds, as the model is told. */
    static String description(String role, RoleSettings settings) {
        if (settings.description() != null && !settings.description().isBlank()) {
            return settings.description().strip();
        }
        return KNOWN.getOrDefault(role, "Looks things up in " + role + ".");
    }

    private static ToolSpecification tool(String role, RoleSettings settings) {
        return ToolSpecification.builder().name(role).description(description(role, settings))
                .parameters(JsonObjectSchema.builder()
                        .addProperty("query", JsonStringSchema.builder().description("what to look for, in words").build())
                        .addProperty("symbols", JsonArraySchema.builder().items(new JsonStringSchema())
                                .description("the code symbols it is about, if any").build())
                        .required("query").build())
                .build();
    }
}
