package dev.familiar.grandpa.core.mcp;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task as an agent needs it at a glance (status and why, the live plan, how its attempts went, the
 * branch and result), a small part of the whole detail that {@code get_task} gives on request.
 */
final class TaskDigest {
    /** What every task-shaped answer of the tools holds, for their output schema. */
    static final String SCHEMA = """
            {"type":"object","properties":{
              "id":{"type":"string"},"title":{"type":"string"},"status":{"type":"string"},
              "statusReason":{"type":["string","null"]},"repo":{"type":["string","null"]},
              "plan":{"type":"object"},"attempts":{"type":"object"},
              "branch":{"type":["string","null"]},"result":{"type":["string","null"]}},
             "required":["id","status"]}""";

    private TaskDigest() {}

    static ObjectNode of(JsonNode task) {
        var digest = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("id", "title", "status", "statusReason", "repo")) {
            digest.set(field, task.path(field).isMissingNode() ? JsonNodeFactory.instance.nullNode() : task.path(field));
        }
        digest.set("plan", plan(task));
        var attempts = digest.putObject("attempts");
        int made = 0;
        int failed = 0;
        var backends = new java.util.TreeSet<String>();
        for (JsonNode a : task.path("attempts")) {
            made++;
            failed += a.path("status").asString().equals("FAILED") ? 1 : 0;
            backends.add(a.path("backend").asString());
        }
        attempts.put("made", made);
        attempts.put("failed", failed);
        backends.forEach(attempts.putArray("backends")::add);
        attempts.put("recoveries", task.path("recoveries").size());
        JsonNode branch = task.path("workspace").path("branch");
        digest.set("branch", branch.isMissingNode() ? JsonNodeFactory.instance.nullNode() : branch);
        digest.set("result", task.path("result").isMissingNode() ? JsonNodeFactory.instance.nullNode() : task.path("result"));
        return digest;
    }

    /** The live plan version's subtasks. */
    static ObjectNode plan(JsonNode task) {
        var plan = JsonNodeFactory.instance.objectNode();
        plan.put("task_id", task.path("id").asString());
        plan.put("version", task.path("planVersion").asInt());
        var subtasks = plan.putArray("subtasks");
        for (JsonNode s : task.path("subtasks")) {
            if (s.path("planVersion").asInt() == task.path("planVersion").asInt()) {
                var item = subtasks.addObject();
                for (String field : List.of("key", "title", "status", "capability", "dependsOn", "acceptanceCriteria", "check")) {
                    item.set(field, s.path(field));
                }
            }
        }
        return plan;
    }
}
