package dev.familiar.grandpa.store.context;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task's or a subtask's context pack as stored.
 *
 * @param subtaskId the subtask whose pack it is, or null for the task's (the plan's)
 * @param items     the items kept, best first, with their fused score and tokens (null in packs stored
 *                  before packs were ranked)
 * @param cuts      what was left out: budget, time or duplicate, with the detail
 * @param countedBy how the tokens were counted (the model's tokenizer or the estimate)
 * @param rendered  the pack exactly as it goes into prompts
 */
public record StoredContextPack(UUID taskId, UUID subtaskId, String query, List<Item> items, List<Cut> cuts,
                                List<String> problems, String countedBy, int budget, String rendered, int tokens,
                                Instant createdAt) {

    public record Item(String source, int rank, String reference, String text, Double score, Integer tokens) {}

    public record Cut(String source, String reference, String reason, String detail) {}
}
