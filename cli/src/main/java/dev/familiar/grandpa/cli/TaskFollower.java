package dev.familiar.grandpa.cli;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Follows a task's events until it is over (done, cancelled, or blocked until a person acts) or the
 * time given is up, handing each on, and answers the task as it is then. A stream cut off (the service
 * restarted) is taken up again where it left off; a service away for longer than a minute ends the
 * following with an error.
 */
final class TaskFollower {
    static final Set<String> FINAL = Set.of("DONE", "BLOCKED", "CANCELLED");
    private static final long GIVE_UP_MILLIS = 60_000;

    private final ApiClient api;
    private final Consumer<ApiClient.ServerEvent> onEvent;
    private final Consumer<String> notices;

    /** @param notices told when the service was lost and is being asked again */
    TaskFollower(ApiClient api, Consumer<ApiClient.ServerEvent> onEvent, Consumer<String> notices) {
        this.api = api;
        this.onEvent = onEvent;
        this.notices = notices;
    }

    /** The stream says the task was blocked; whether it still is, the task itself says. */
    private static final class Blocked extends RuntimeException {
        Blocked() {
            super(null, null, false, false);
        }
    }

    JsonNode follow(UUID id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        var last = new AtomicLong();
        long awaySince = -1;
        while (true) {
            try {
                try {
                    api.events("/api/tasks/" + id, last.get(), () -> System.nanoTime() - deadline > 0, event -> {
                        onEvent.accept(event);
                        last.set(event.id());
                        if (event.type().equals("status") && event.data().path("status").asString().equals("BLOCKED")) {
                            throw new Blocked(); // the stream stays open for a blocked task: a person may resume it
                        }
                    });
                } catch (Blocked e) {
                    // looked at below
                }
                JsonNode task = api.get("/api/tasks/" + id);
                awaySince = -1;
                if (FINAL.contains(task.path("status").asString()) || System.nanoTime() - deadline > 0) {
                    return task;
                }
            } catch (ApiException e) {
                if (e.status() != 0) {
                    throw e; // refused: no point in asking again
                }
                long now = System.currentTimeMillis();
                if (awaySince < 0) {
                    awaySince = now;
                    notices.accept("lost grandpa (" + e.getMessage() + "); trying again for a minute");
                } else if (now - awaySince > GIVE_UP_MILLIS) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Prints a task's events until it is over, then how it ended and its result; returns the exit code:
     * 0 done, 1 blocked or cancelled. With {@code json}, a JSON line per event, then the task's.
     */
    static int watch(ApiClient api, UUID id, Console console, boolean output, boolean json) throws InterruptedException {
        var out = console.out();
        var printer = new EventPrinter(out, console.terminal(), output);
        Consumer<ApiClient.ServerEvent> onEvent = json ? event -> {
            if (!event.type().equals(EventPrinter.OUTPUT) || output) {
                out.println(ApiClient.JSON.writeValueAsString(ApiClient.JSON.createObjectNode().put("id", event.id())
                        .put("type", event.type()).put("line", event.line()).set("data", event.data())));
                out.flush();
            }
        } : printer::print;
        JsonNode task = new TaskFollower(api, onEvent, notice -> {
            printer.finish();
            console.err().println(notice);
        }).follow(id, Duration.ofDays(3650));
        if (json) {
            out.println(ApiClient.JSON.writeValueAsString(task));
        } else {
            printer.finish();
            out.println(task.path("status").asString() + (task.hasNonNull("statusReason")
                    ? ": " + task.path("statusReason").asString() : ""));
            if (task.hasNonNull("result")) {
                out.println();
                out.println(task.path("result").asString());
            }
        }
        out.flush();
        return "DONE".equals(task.path("status").asString()) ? 0 : 1;
    }
}
