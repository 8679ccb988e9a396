package dev.familiar.grandpa.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.store.jdbc.JsonColumns;
import dev.familiar.grandpa.store.jdbc.StoredText;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredTextTest {
    @Test
    void nulsAreDroppedLoneSurrogatesReplacedAndPairsKept() {
        assertThat(StoredText.clean("a\0b")).isEqualTo("ab");
        assertThat(StoredText.clean("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(StoredText.clean("x\uDC00")).isEqualTo("x\uFFFD");
        assertThat(StoredText.clean("rocket \uD83D\uDE80")).isEqualTo("rocket \uD83D\uDE80");
        assertThat(StoredText.clean(null)).isNull();
        String plain = "nothing to do";
        assertThat(StoredText.clean(plain)).isSameAs(plain);
    }

    @Test
    void jsonForJsonbColumnsCarriesNoNulEscape() {
        assertThat(JsonColumns.write(List.of("a\0b", "c\\u0000d"))).isEqualTo("[\"ab\",\"c\\\\u0000d\"]");
    }
}
