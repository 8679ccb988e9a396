package dev.familiar.grandpa.core.cli;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Follows a task's events until it is over (done, cancelled, or blocked until a person acts), printing
 * them, and says how it ended. A stream cut off (the service restarted) is taken up again where it
 * left off; a service away for longer than a minute ends the watch with an error.
 */
final class TaskFollower {
    static final Set<String> FINAL = Set.of("DONE", "BLOCKED", "CANCELLED");
    private static final long GIVE_UP_MILLIS = 60_000;

    private final ApiClient api;
    private final EventPrinter printer;
    private final Console console;

    TaskFollower(ApiClient api, EventPrinter printer, Console console) {
        this.api = api;
        this.printer = printer;
        this.console = console;
    }

    /** The stream says the task was blocked; whether it still is, the task itself says. */
    private static final class Blocked extends RuntimeException {
        Blocked() {
            super(null, null, false, false);
        }
    }

    /** Returns the task as it ended. */
    JsonNode follow(UUID id) throws InterruptedException {
        var last = new AtomicLong();
        long awaySince = -1;
        while (true) {
            try {
                try {
                    api.events("/api/tasks/" + id, last.get(), event -> {
                        printer.print(event);
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
                if (FINAL.contains(task.path("status").asString())) {
                    printer.finish();
                    return task;
                }
            } catch (ApiException e) {
                if (e.status() != 0) {
                    throw e; // refused: no point in asking again
                }
                long now = System.currentTimeMillis();
                if (awaySince < 0) {
                    awaySince = now;
                    printer.finish();
                    console.err().println("lost grandpa (" + e.getMessage() + "); trying again for a minute");
                } else if (now - awaySince > GIVE_UP_MILLIS) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }

    /** The exit code for how a task ended: 0 done, 1 blocked or cancelled. */
    static int exitCode(JsonNode task) {
        return "DONE".equals(task.path("status").asString()) ? 0 : 1;
    }

    /** The closing lines: how it ended, and its result or why not. */
    static void summary(JsonNode task, Console console) {
        var out = console.out();
        out.println(task.path("status").asString() + (task.hasNonNull("statusReason")
                ? ": " + task.path("statusReason").asString() : ""));
        if (task.hasNonNull("result")) {
            out.println();
            out.println(task.path("result").asString());
        }
        out.flush();
    }
}
