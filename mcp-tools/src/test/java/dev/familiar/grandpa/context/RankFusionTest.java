package dev.familiar.grandpa.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {
    static ContextItem item(String source, int rank, String text) {
        return new ContextItem(source, rank, text.toUpperCase(java.util.Locale.ROOT), text);
    }

    @Test
    void anItemTwoSourcesAgreeOnRisesAboveEachSourcesOwnFirst() {
        var fused = RankFusion.fuse(List.of(
                List.of(item("a", 0, "alpha"), item("a", 1, "shared")),
                List.of(item("b", 0, "beta"), item("b", 1, "shared  "))));

        assertThat(fused.ranked()).extracting(s -> s.item().text()).containsExactly("shared", "alpha", "beta");
        assertThat(fused.ranked().getFirst().score()).isEqualTo(2.0 / 62);
        assertThat(fused.duplicates()).singleElement().satisfies(cut -> {
            assertThat(cut.source()).isEqualTo("b");
            assertThat(cut.detail()).isEqualTo("the same text as a: SHARED");
        });
    }

    @Test
    void equalScoresAreOrderedBySourceThenRankSoTheSameAnswersFuseTheSameWay() {
        var answers = List.of(List.of(item("z", 0, "one"), item("z", 1, "two")), List.of(item("m", 0, "three")));
        assertThat(RankFusion.fuse(answers).ranked()).extracting(s -> s.item().text()).containsExactly("three", "one", "two");
        assertThat(RankFusion.fuse(answers.reversed())).isEqualTo(RankFusion.fuse(answers));
    }
}
