package dev.familiar.grandpa.core.cli;

import dev.familiar.grandpa.core.events.EventLines;
import dev.familiar.grandpa.core.mcp.TaskDesk;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** The MCP tools' work in {@code grandpa mcp}: through the running service's REST API. */
final class ApiDesk implements TaskDesk {
    private final ApiClient api;

    ApiDesk(ApiClient api) {
        this.api = api;
    }

    @Override
    public JsonNode submit(String goal, String title, String repo, List<String> labels, Integer priority, String acceptance) {
        if (goal == null || goal.isBlank()) {
            throw new IllegalArgumentException("goal is required");
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("goal", goal);
        body.put("title", title);
        body.put("repo", repo);
        body.put("labels", labels);
        body.put("priority", priority);
        body.put("acceptanceCommand", acceptance);
        body.values().removeIf(v -> v == null);
        return api.post("/api/tasks", body);
    }

    @Override
    public JsonNode task(UUID id) {
        return api.get("/api/tasks/" + id);
    }

    @Override
    public JsonNode waitFor(UUID id, Duration limit, Consumer<String> progress) throws InterruptedException {
        return new TaskFollower(api, event -> {
            String line = EventLines.line(event.type(), event.data(), false);
            if (line != null) {
                progress.accept(line);
            }
        }, progress).follow(id, limit);
    }

    @Override
    public JsonNode cancel(UUID id) {
        return api.post("/api/tasks/" + id + "/cancel", null);
    }

    @Override
    public JsonNode resume(UUID id, String note) {
        var body = new LinkedHashMap<String, Object>();
        if (note != null) {
            body.put("note", note);
        }
        return api.post("/api/tasks/" + id + "/resume", body);
    }

    @Override
    public JsonNode list(List<String> statuses, int page, int size) {
        var query = new StringBuilder("/api/tasks?page=" + page + "&size=" + size);
        statuses.forEach(s -> query.append("&status=").append(java.net.URLEncoder.encode(s.strip().toUpperCase(
                java.util.Locale.ROOT), java.nio.charset.StandardCharsets.UTF_8)));
        return api.get(query.toString());
    }

    @Override
    public JsonNode backends() {
        return api.get("/api/backends");
    }

    @Override
    public String diff(UUID id) {
        return api.text("/api/tasks/" + id + "/diff");
    }
}
