package dev.familiar.grandpa.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reciprocal rank fusion: an item's score is the sum over the sources that found it of
 * {@code 1 / (k + rank)} (rank from 1), so an item two sources agree on rises above either's own list,
 * and no source's scale of relevance has to match another's. The same text from a second source is
 * one item (the first source's, by score) plus a duplicate cut.
 */
public final class RankFusion {
    /** The constant of the original paper (Cormack et al., 2009): it damps the weight of the first ranks. */
    public static final int K = 60;

    private RankFusion() {}

    public record Fused(List<Scored> ranked, List<ContextPack.Cut> duplicates) {}

    public record Scored(ContextItem item, double score) {}

    /** The items of every source's answer (each best first), fused into one list, best first. */
    public static Fused fuse(List<List<ContextItem>> answers) {
        var byText = new LinkedHashMap<String, List<ContextItem>>();
        for (List<ContextItem> answer : answers) {
            for (ContextItem item : answer) {
                byText.computeIfAbsent(item.sameness(), t -> new ArrayList<>()).add(item);
            }
        }
        var ranked = new ArrayList<Scored>();
        var duplicates = new ArrayList<ContextPack.Cut>();
        for (List<ContextItem> same : byText.values()) {
            double score = 0;
            for (ContextItem item : same) {
                score += 1.0 / (K + item.rank() + 1);
            }
            ContextItem kept = same.stream().min(Comparator.comparingInt(ContextItem::rank)
                    .thenComparing(ContextItem::source)).orElseThrow();
            ranked.add(new Scored(kept, score));
            for (ContextItem other : same) {
                if (other != kept) {
                    duplicates.add(new ContextPack.Cut(other.source(), other.reference(), ContextPack.Reason.DUPLICATE,
                            "the same text as " + kept.source() + ": " + kept.reference()));
                }
            }
        }
        ranked.sort(Comparator.comparingDouble(Scored::score).reversed()
                .thenComparing(s -> s.item().source()).thenComparingInt(s -> s.item().rank()));
        return new Fused(List.copyOf(ranked), List.copyOf(duplicates));
    }
}
