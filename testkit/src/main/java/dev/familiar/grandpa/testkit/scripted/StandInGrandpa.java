package dev.familiar.grandpa.testkit.scripted;

import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scripted stand-in for the grandpa model, for the demo profile and the tests: it looks nothing up
 * before planning, plans three subtasks (two independent, one that needs both), passes every output it
 * judges, and sums up an
 * integration in one sentence naming the accepted subtasks. It reads the prompts grandpa sends, so it
 * answers like a model that follows them, without any intelligence.
 */
public class StandInGrandpa implements Responder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VERSION = Pattern.compile("Plan version: (\\d+)");
    private static final Pattern CAPABILITIES = Pattern.compile("Capabilities of the coders: (.*)");

    @Override
    public Reply answer(ChatCall call) {
        if ("plan".equals(call.schemaName())) {
            return Reply.text(plan(call.last("user")));
        }
        if ("lookup".equals(call.schemaName())) {
            return Reply.text("{\"lookups\":[]}"); // what it has is enough
        }
        if (call.schemaName() == null && call.last("user").startsWith("Request: look up.")) {
            return Reply.text("What I have is enough to plan."); // offered tools, it calls none
        }
        if ("verdict".equals(call.schemaName())) {
            return Reply.text(verdict("pass", 0.9, "Meets the acceptance criteria."));
        }
        return Reply.text(integrate(call.last("user")));
    }

    public static String verdict(String verdict, double score, String feedback) {
        return JSON.writeValueAsString(Map.of("verdict", verdict, "score", score, "feedback", feedback));
    }

    /** The plan version a planning prompt asks for. */
    public static int planVersion(ChatCall call) {
        Matcher m = VERSION.matcher(call.last("user"));
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    static String plan(String prompt) {
        Matcher v = VERSION.matcher(prompt);
        int version = v.find() ? Integer.parseInt(v.group(1)) : 1;
        Matcher c = CAPABILITIES.matcher(prompt);
        List<String> capabilities = c.find() ? List.of(c.group(1).trim().split(",\\s*")) : List.of("code");
        String prefix = version == 1 ? "" : "v" + version + "-";
        var subtasks = new ArrayList<Map<String, Object>>();
        subtasks.add(subtask(prefix + "impl", "Implement the change", "code", pick(capabilities, "code"), List.of()));
        subtasks.add(subtask(prefix + "tests", "Write the tests", "tests", pick(capabilities, "tests"), List.of()));
        subtasks.add(subtask(prefix + "docs", "Document and integrate", "docs", pick(capabilities, "docs"),
                List.of(prefix + "impl", prefix + "tests")));
        return JSON.writeValueAsString(Map.of("summary", "stand-in plan version " + version, "subtasks", subtasks));
    }

    private static Map<String, Object> subtask(String id, String title, String kind, String capability, List<String> deps) {
        return Map.of("id", id, "title", title, "instructions", title + " for the goal above.", "kind", kind,
                "capability", capability, "depends_on", deps, "acceptance_criteria", List.of(title + " is complete"));
    }

    private static String pick(List<String> capabilities, String wanted) {
        return capabilities.contains(wanted) ? wanted : capabilities.getFirst();
    }

    private static final Pattern ACCEPTED = Pattern.compile("(?m)^## ([^:\n]+):");

    /** One sentence, well under integration's token limit, naming the subtasks the prompt lists. */
    private static String integrate(String prompt) {
        var keys = new ArrayList<String>();
        Matcher m = ACCEPTED.matcher(prompt);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return "Stand-in summary: " + keys.size() + " subtask(s) done (" + String.join(", ", keys) + ").";
    }
}
