package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.ContextPack;
import dev.familiar.grandpa.context.ContextQuery;
import dev.familiar.grandpa.context.ContextRole;
import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.events.EventType;
import dev.familiar.grandpa.runtime.session.GrandpaModel;
import dev.familiar.grandpa.runtime.session.ModelAnswerException;
import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.runtime.session.ToolUse;
import dev.familiar.grandpa.store.jdbc.StoredText;
import dev.familiar.grandpa.store.task.Task;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What grandpa may look up before it plans a task, and again before a re-plan, within the task's budget of
 * {@code grandpa.context.lookups} in all. In a turn of its own ("Request: look up."), it may call the plan-stage
 * roles as tools ({@link LookupTools}) in its template's own syntax where its server takes them that way: the
 * calls are answered within the turn and stay in the session's history, right before the plan request, so they
 * are not sent again. Elsewhere it answers in a JSON schema with the lookups it wants, and the plan request
 * carries their answers. It sees what the task's pack holds by name (the plan request carries the pack whole)
 * and, before a re-plan, why the plan could not be finished. Each lookup is asked of its role with grandpa's
 * own query and recorded as a {@code context.looked-up} event. The turn is one more turn of the session, so the
 * plan request that follows finds everything before it in the server's cache: the caller asks for the plan
 * in the same turn of the model's queue, on the same session.
 */
public class Lookups {
    static final String REQUEST = "Request: look up.\n";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ContextBroker roles;
    private final ContextSettings settings;
    private final GrandpaModel grandpa;
    private final EventJournal events;

    public Lookups(ContextBroker roles, ContextSettings settings, GrandpaModel grandpa, EventJournal events) {
        this.roles = roles;
        this.settings = settings;
        this.grandpa = grandpa;
        this.events = events;
    }

    /** Whether grandpa is offered lookups for this task now: there are roles, and its budget is not spent. */
    public boolean offered(Task task) {
        return roles.hasRoles() && left(task) > 0;
    }

    /** The lookups the task has left of its budget. */
    int left(Task task) {
        return settings.lookups() - events.count(task.id(), EventType.CONTEXT_LOOKED_UP);
    }

    /**
     * Lets grandpa look up what it wants for the task (whose pack it has): the block its plan request carries.
     *
     * @param cause why the last plan could not be finished (a re-plan), or null for the first plan
     */
    public String lookUp(Task task, String pack, String cause) {
        int left = left(task);
        try {
            Optional<List<ToolUse>> called = grandpa.callTools(task.id(), Purpose.PLAN, request(task, pack, cause, left, true),
                    left, call -> answer(task, call));
            if (called.isPresent()) {
                return called.get().isEmpty() ? "" : "\nLooked up (the answers are above): " + called.get().stream()
                        .map(u -> u.name() + " " + u.arguments()).collect(Collectors.joining("; ")) + "\n";
            }
            String answer = grandpa.ask(task.id(), Purpose.PLAN, request(task, pack, cause, left, false), schema(left));
            var block = new StringBuilder();
            for (Wanted wanted : wanted(answer, left)) {
                block.append("\nLooked up in ").append(wanted.role()).append(": ").append(wanted.query()).append('\n')
                        .append(ask(task, wanted));
            }
            return block.toString();
        } catch (ModelAnswerException e) {
            return ""; // cut off or not an answer: it plans with what it has
        }
    }

    /** A tool call answered: asked of its role, or why not; as the session's history can keep it. */
    private String answer(Task task, ToolExecutionRequest call) {
        return StoredText.clean(asked(task, call));
    }

    private String asked(Task task, ToolExecutionRequest call) {
        if (roles.roles().stream().noneMatch(r -> r.name().equals(call.name()))) {
            return "Not looked up: there is no tool " + call.name() + ".";
        }
        try {
            Wanted wanted = wanted(call.name(), JSON.readTree(call.arguments()));
            return wanted == null ? "Not looked up: the call has no query." : ask(task, wanted);
        } catch (JacksonException e) {
            return "Not looked up: the arguments are not JSON.";
        }
    }

    /** One lookup asked of its role and recorded: what it found, as the model reads it. */
    private String ask(Task task, Wanted wanted) {
        ContextPack found = roles.only(wanted.role()).gather(new ContextQuery("", task.goal(), task.repo(),
                wanted.query(), List.of(), wanted.symbols()), settings.lookupTokens());
        String said = found.entries().isEmpty() ? "(nothing found)\n" : found.render();
        events.append(task.id(), new Event.ContextLookedUp(wanted.role(), wanted.query(), wanted.symbols(),
                found.entries().size(), found.tokens(), found.problems(), said));
        return said;
    }

    record Wanted(String role, String query, List<String> symbols) {}

    /** The lookups a JSON-schema answer asks for, known roles only, at most {@code budget}. */
    List<Wanted> wanted(String answer, int budget) {
        var wanted = new ArrayList<Wanted>();
        try {
            for (JsonNode lookup : JSON.readTree(answer).path("lookups")) {
                String role = lookup.path("role").asString("");
                Wanted one = wanted(role, lookup);
                if (wanted.size() < budget && one != null && roles.roles().stream().anyMatch(r -> r.name().equals(role))) {
                    wanted.add(one);
                }
            }
        } catch (JacksonException e) {
            return List.of(); // not in the schema: nothing to look up
        }
        return wanted;
    }

    /** A lookup of a role with these arguments ({@code query}, {@code symbols}); null without a query. */
    private static Wanted wanted(String role, JsonNode arguments) {
        String query = arguments.path("query").asString("").strip();
        if (query.isEmpty()) {
            return null;
        }
        var symbols = new ArrayList<String>();
        arguments.path("symbols").forEach(s -> symbols.add(s.asString("")));
        return new Wanted(role, query, symbols.stream().filter(s -> !s.isBlank()).toList());
    }

    String request(Task task, String pack, String cause, int left, boolean asTools) {
        var text = new StringBuilder(REQUEST);
        text.append(cause == null ? "Before you plan the task below" : "Before you plan the rest of the task below again");
        if (asTools) {
            text.append(", you may call the tools you were given to look things up, at most ").append(left)
                    .append(" calls in all; call none when what you have is enough.\n");
        } else {
            text.append(", you may look things up with these tools, at most ").append(left)
                    .append(" lookups in all; ask for none when what you have is enough.\n");
            for (ContextRole role : roles.roles()) {
                text.append("- ").append(role.name()).append(": ")
                        .append(LookupTools.description(role.name(), settings.roles().get(role.name()))).append('\n');
            }
            text.append("Each lookup names the tool, a query in words, and the code symbols it is about, if any.\n");
        }
        text.append("\nGoal:\n").append(task.goal()).append('\n');
        if (task.repo() != null) {
            text.append("Repository: ").append(task.repo()).append('\n');
        }
        // what the pack holds, by name only: the plan request that follows carries it whole
        List<String> held = pack.lines().filter(line -> line.startsWith("### ")).map(line -> "- " + line.substring(4))
                .toList();
        text.append(held.isEmpty() ? "\nThe context you will plan with is empty.\n"
                : "\nThe context you will plan with already has:\n" + String.join("\n", held) + "\n");
        if (cause != null) {
            text.append("\nThe previous plan could not be finished: ").append(cause).append('\n');
        }
        return text.toString();
    }

    JsonSchema schema(int budget) {
        String names = JSON.writeValueAsString(roles.roles().stream().map(ContextRole::name).toList());
        String raw = """
                {"type":"object","additionalProperties":false,"required":["lookups"],"properties":{
                 "lookups":{"type":"array","maxItems":%d,"items":{"type":"object","additionalProperties":false,
                  "required":["role","query"],"properties":{
                   "role":{"enum":%s},
                   "query":{"type":"string","minLength":1},
                   "symbols":{"type":"array","items":{"type":"string"}}}}}}}""".formatted(budget, names);
        return JsonSchema.builder().name("lookup").rootElement(JsonRawSchema.from(raw)).build();
    }
}
