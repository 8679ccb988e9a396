package dev.familiar.grandpa.cli;

import java.util.HashMap;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a task: its status, plan, attempts, verdicts and result.")
final class ShowCommand extends ApiCommand {
    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    @Mixin
    JsonOutput output;

    ShowCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode t = api().get("/api/tasks/" + taskId(id));
        var out = console.out();
        if (output.printed(console, t)) {
            return 0;
        }
        out.println(t.path("title").asString() + "  (" + t.path("id").asString() + ")");
        out.println("status:  " + t.path("status").asString()
                + (t.hasNonNull("statusReason") ? ": " + t.path("statusReason").asString() : ""));
        if (t.hasNonNull("repo")) {
            out.println("repo:    " + t.path("repo").asString()
                    + (t.path("workspace").hasNonNull("branch") ? ", branch " + t.path("workspace").path("branch").asString() : ""));
        }
        out.println("plan:    v" + t.path("planVersion").asInt());
        var keys = new HashMap<String, String>();
        for (JsonNode s : t.path("subtasks")) {
            keys.put(s.path("id").asString(), s.path("key").asString());
            if (s.path("planVersion").asInt() == t.path("planVersion").asInt()) {
                out.printf("  %-12s %-9s %-8s %s%n", s.path("key").asString(), s.path("status").asString(),
                        s.path("capability").asString(), s.path("title").asString());
            }
        }
        if (!t.path("attempts").isEmpty()) {
            out.println("attempts:");
        }
        var verdicts = new HashMap<Long, JsonNode>();
        t.path("evaluations").forEach(e -> verdicts.put(e.path("attemptId").asLong(), e));
        for (JsonNode a : t.path("attempts")) {
            JsonNode v = verdicts.get(a.path("id").asLong());
            out.printf(Locale.ROOT, "  %-12s #%d %-14s %-10s %6.1f s%s%n", keys.getOrDefault(a.path("subtaskId").asString(), "?"),
                    a.path("number").asInt(), a.path("backend").asString(), a.path("status").asString(),
                    a.path("durationMs").asLong() / 1000.0,
                    v == null ? "" : "  " + v.path("verdict").asString() + " by " + v.path("judgedBy").asString());
        }
        for (JsonNode r : t.path("recoveries")) {
            out.println("recovery " + r.path("rung").asString() + ": " + r.path("reason").asString());
        }
        if (t.hasNonNull("result")) {
            out.println();
            out.println(t.path("result").asString());
        }
        out.flush();
        return 0;
    }
}
