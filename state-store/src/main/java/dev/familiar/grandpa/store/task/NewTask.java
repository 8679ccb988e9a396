package dev.familiar.grandpa.store.task;

import java.util.List;

/** A submission as accepted from a client, before it has an id. */
public record NewTask(
        String title,
        String goal,
        String repo,
        List<String> labels,
        int priority,
        String acceptanceCommand,
        String idempotencyKey,
        String requestHash) {

    public NewTask {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
