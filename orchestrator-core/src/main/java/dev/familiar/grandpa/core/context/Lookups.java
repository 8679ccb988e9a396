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
import dev.familiar.grandpa.store.task.Task;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What grandpa may look up before it plans a task, and again before a re-plan: in a turn of its own
 * ("Request: look up."), it is offered the plan-stage roles as tools, each with what its server says the tool
 * does, and answers in a JSON schema with the lookups it wants, within the task's budget of
 * {@code grandpa.context.lookups} in all; it sees what the task's pack holds by name (the plan request
 * carries the pack whole, so it is not sent twice) and, before a re-plan, why the plan could not be finished. Each is asked of its
 * role with grandpa's own query, recorded as a {@code context.looked-up} event, and the answers go into
 * the plan request. The turn is one more turn of the session, so the plan request that follows finds
 * everything before it in the server's cache.
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
     * Asks grandpa what it wants to look up for the task (whose pack it has): its answer, or "{}" for nothing.
     *
     * @param cause why the last plan could not be finished (a re-plan), or null for the first plan
     */
    public String ask(Task task, String pack, String cause) {
        try {
            int left = left(task);
            return grandpa.ask(task.id(), Purpose.PLAN, request(task, pack, cause, left), schema(left));
        } catch (ModelAnswerException e) {
            return "{}"; // cut off or not an answer: it plans with what it has
        }
    }

    /** Asks the roles what grandpa's answer wants, within what is left of the task's budget; the block its plan request carries. */
    public String run(Task task, String answer) {
        var block = new StringBuilder();
        for (Wanted wanted : wanted(answer, left(task))) {
            ContextPack found = roles.only(wanted.role()).gather(new ContextQuery("", task.goal(), task.repo(),
                    wanted.query(), List.of(), wanted.symbols()), settings.lookupTokens());
            String said = found.entries().isEmpty() ? "(nothing found)\n" : found.render();
            events.append(task.id(), new Event.ContextLookedUp(wanted.role(), wanted.query(), wanted.symbols(),
                    found.entries().size(), found.tokens(), found.problems(), said));
            block.append("\nLooked up in ").append(wanted.role()).append(": ").append(wanted.query()).append('\n')
                    .append(said);
        }
        return block.toString();
    }

    record Wanted(String role, String query, List<String> symbols) {}

    /** The lookups the answer asks for, known roles only, at most {@code budget}. */
    List<Wanted> wanted(String answer, int budget) {
        var wanted = new ArrayList<Wanted>();
        try {
            for (JsonNode lookup : JSON.readTree(answer).path("lookups")) {
                String role = lookup.path("role").asString("");
                String query = lookup.path("query").asString("").strip();
                if (wanted.size() < budget && !query.isEmpty()
                        && roles.roles().stream().anyMatch(r -> r.name().equals(role))) {
                    var symbols = new ArrayList<String>();
                    lookup.path("symbols").forEach(s -> symbols.add(s.asString("")));
                    wanted.add(new Wanted(role, query, symbols.stream().filter(s -> !s.isBlank()).toList()));
                }
            }
        } catch (JacksonException e) {
            return List.of(); // not in the schema: nothing to look up
        }
        return wanted;
    }

    String request(Task task, String pack, String cause, int left) {
        var text = new StringBuilder(REQUEST);
        text.append(cause == null ? "Before you plan the task below" : "Before you plan the rest of the task below again")
                .append(", you may look things up with these tools, at most ").append(left)
                .append(" lookups in all; ask for none when what you have is enough.\n");
        for (ContextRole role : roles.roles()) {
            String description = role.source().description().strip();
            text.append("- ").append(role.name()).append(description.isEmpty() ? "" : ": " + description).append('\n');
        }
        text.append("Each lookup names the tool, a query in words, and the code symbols it is about, if any.\n\nGoal:\n")
                .append(task.goal()).append('\n');
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
