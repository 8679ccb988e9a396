package dev.familiar.grandpa.argus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SymbolParserTest {

    @Test
    void aFileThatDoesNotCompileStillGivesWhatItCan() {
        Symbols symbols = SymbolParser.parse(Language.JAVA, "A.java", """
                class A {
                    void broken( { }
                    int fine(int x) { return x; }
                }
                """);
        assertThat(symbols.definitions()).extracting(Symbols.Definition::qualified).contains("A", "A.fine");
    }

    @Test
    void theSignatureIsTheDeclarationUpToItsBody() {
        assertThat(SymbolParser.signature("@Service\npublic class Billing implements Api {\n  int x;\n}"))
                .isEqualTo("@Service public class Billing implements Api");
        assertThat(SymbolParser.signature("def parse(text: str) -> dict:\n    return {}")).isEqualTo("def parse(text: str) -> dict:");
        assertThat(SymbolParser.signature("type Health struct{ Ok bool }")).isEqualTo("type Health struct");
    }

    @Test
    void codeNamesSplitIntoWordsAndAStemIsTheSameWord() {
        assertThat(CodeIndex.words("RateLimiter parse_limits HTTPServer")).containsExactly("http", "limiter", "limits",
                "parse", "rate", "server");
        assertThat(CodeIndex.alike("limiting", "limiter")).isTrue();
        assertThat(CodeIndex.alike("rate", "rates")).isTrue();
        assertThat(CodeIndex.alike("bill", "build")).isFalse();
    }
}
