package dev.familiar.grandpa.core.mcp;

import dev.familiar.grandpa.core.api.BackendController;
import dev.familiar.grandpa.core.api.SubmitTaskRequest;
import dev.familiar.grandpa.core.api.TaskController;
import dev.familiar.grandpa.core.api.TaskFollowing;
import dev.familiar.grandpa.core.api.TaskIntake;
import dev.familiar.grandpa.core.events.EventLines;
import dev.familiar.grandpa.core.security.Role;
import dev.familiar.grandpa.store.event.TaskEvent;
import dev.familiar.grandpa.store.task.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the MCP tools do, inside the service: the same intake, views and rules as the REST API, so a
 * task or an error looks the same whichever door it came through.
 */
final class TaskOperations {
    private static final Set<TaskStatus> OVER = Set.of(TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.BLOCKED);

    private final TaskIntake intake;
    private final TaskController tasks;
    private final BackendController backends;
    private final TaskFollowing following;
    private final JsonMapper json;
    private final BooleanSupplier closing;
    private final Predicate<Role> callerMay;

    /** @param callerMay whether the caller of the request being served holds a role */
    public TaskOperations(TaskIntake intake, TaskController tasks, BackendController backends, TaskFollowing following,
                       JsonMapper json, BooleanSupplier closing, Predicate<Role> callerMay) {
        this.intake = intake;
        this.tasks = tasks;
        this.backends = backends;
        this.following = following;
        this.json = json;
        this.closing = closing;
        this.callerMay = callerMay;
    }

    /** Submitting, cancelling and resuming change work: an OPERATOR's; a VIEWER's token lists and reads. */
    private void operator() {
        if (!callerMay.test(Role.OPERATOR)) {
            throw new IllegalStateException("this token's role may only read: submitting, cancelling and resuming a task "
                    + "need an OPERATOR token");
        }
    }

    public JsonNode submit(String goal, String title, String repo, List<String> labels, Integer priority, String acceptance) {
        operator();
        if (goal == null || goal.isBlank()) {
            throw new IllegalArgumentException("goal is required");
        }
        var task = intake.submit(new SubmitTaskRequest(title, goal, repo, labels, priority, acceptance), null).task();
        return json.valueToTree(Map.of("id", task.id(), "status", task.status().name()));
    }

    public JsonNode task(UUID id) {
        return json.valueToTree(tasks.get(id));
    }

    public JsonNode waitFor(UUID id, Duration limit, Consumer<String> progress) throws InterruptedException {
        tasks.get(id); // a task that is not there is an error now, not after the wait
        try {
            following.follow(id, 0, OVER, limit, closing, new TaskFollowing.Listener() {
                @Override
                public void event(TaskEvent e) {
                    String line = EventLines.line(e, false);
                    if (line != null) {
                        progress.accept(line);
                    }
                }

                @Override
                public void quiet() {
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e); // the listener writes nothing
        }
        return task(id);
    }

    public JsonNode cancel(UUID id) {
        operator();
        return json.valueToTree(tasks.cancel(id));
    }

    public JsonNode resume(UUID id, String note) {
        operator();
        return json.valueToTree(tasks.resume(id, new TaskController.ResumeRequest(note)).getBody());
    }

    public JsonNode list(List<String> statuses, int page, int size) {
        var parsed = statuses.stream().map(s -> {
            try {
                return TaskStatus.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + s + "' is not a task status; they are "
                        + java.util.Arrays.toString(TaskStatus.values()));
            }
        }).toList();
        if (page < 0 || size < 1 || size > 200) {
            throw new IllegalArgumentException("page is 0 or more and size 1 to 200");
        }
        return json.valueToTree(tasks.list(parsed, page, size, null));
    }

    public JsonNode backends() {
        return json.valueToTree(backends.list());
    }

    public String diff(UUID id) {
        return tasks.diff(id).getBody();
    }
}
