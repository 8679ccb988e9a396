package dev.familiar.grandpa.core.mcp;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * What grandpa's MCP tools do, wherever they run: in the service ({@code /mcp}, {@link ServiceDesk}) or
 * in {@code grandpa mcp} over stdio, through the service's REST API. Answers are the API's JSON.
 */
public interface TaskDesk {
    /** A new task; answers its id and status. */
    JsonNode submit(String goal, String title, String repo, List<String> labels, Integer priority, String acceptance);

    /** Everything about a task, as {@code GET /api/tasks/{id}} has it. */
    JsonNode task(UUID id);

    /**
     * Follows a task until it is done, cancelled or blocked, or {@code limit} passes, telling {@code progress}
     * each step as a line; answers the task as it is then.
     */
    JsonNode waitFor(UUID id, Duration limit, Consumer<String> progress) throws InterruptedException;

    JsonNode cancel(UUID id);

    /** A blocked task goes on, with a note saying what changed. */
    JsonNode resume(UUID id, String note);

    /** A page of tasks, newest first, of these statuses (all when none), as {@code GET /api/tasks} has it. */
    JsonNode list(List<String> statuses, int page, int size);

    JsonNode backends();

    /** The unified diff of the task's branch. */
    String diff(UUID id);
}
