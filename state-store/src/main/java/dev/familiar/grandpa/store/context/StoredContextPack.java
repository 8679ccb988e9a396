package dev.familiar.grandpa.store.context;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task's context pack as stored.
 *
 * @param items    each item as {@code source}, {@code rank}, {@code reference}, {@code text}
 * @param rendered the pack exactly as it goes into prompts
 */
public record StoredContextPack(UUID taskId, String query, List<Item> items, List<String> problems, String rendered,
                                int tokens, Instant createdAt) {

    public record Item(String source, int rank, String reference, String text) {}
}
