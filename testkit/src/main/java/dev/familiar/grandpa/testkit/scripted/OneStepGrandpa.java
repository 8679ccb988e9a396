package dev.familiar.grandpa.testkit.scripted;

import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scripted grandpa for tasks that are one step of work (the bake-off's cases): it plans one subtask,
 * the whole goal, proved by the check the task is accepted by; otherwise it answers as {@link StandInGrandpa}
 * (no lookups, every output passed, a one-line summary). Not a model.
 */
public final class OneStepGrandpa implements Responder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ACCEPTED_BY = Pattern.compile("The task is done when the check '([^']+)' passes");
    private static final Pattern CAPABILITIES = Pattern.compile("Capabilities of the coders: ([^,\\n]+)");
    private static final Pattern VERSION = Pattern.compile("Plan version: (\\d+)");

    private final StandInGrandpa otherwise = new StandInGrandpa();

    @Override
    public Reply answer(ChatCall call) {
        if (!"plan".equals(call.schemaName())) {
            return otherwise.answer(call);
        }
        String prompt = call.last("user");
        Matcher check = ACCEPTED_BY.matcher(prompt);
        Matcher capability = CAPABILITIES.matcher(prompt);
        Matcher version = VERSION.matcher(prompt);
        String id = "solve" + (version.find() && !version.group(1).equals("1") ? "-v" + version.group(1) : "");
        var subtask = new java.util.LinkedHashMap<String, Object>(Map.of("id", id, "title", "Do what the goal asks",
                "instructions", "Make the change the goal above asks for.", "kind", "code",
                "capability", capability.find() ? capability.group(1).strip() : "code", "depends_on", List.of(),
                "acceptance_criteria", List.of("The goal is met")));
        if (check.find()) {
            subtask.put("check", check.group(1));
        }
        return Reply.text(JSON.writeValueAsString(Map.of("summary", "one step: the whole goal", "subtasks", List.of(subtask))));
    }
}
