package dev.familiar.grandpa.runtime.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.familiar.grandpa.runtime.testing.GgufWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {
    @TempDir
    Path dir;

    Path sample() {
        Path path = dir.resolve("sample.gguf");
        new GgufWriter()
                .put("general.architecture", "llama")
                .put("u8", new GgufWriter.Typed(0, 200))
                .put("i8", new GgufWriter.Typed(1, -5))
                .put("u16", new GgufWriter.Typed(2, 60000))
                .put("i16", new GgufWriter.Typed(3, -300))
                .putU32("llama.block_count", 2)
                .put("i32", -7)
                .put("f32", 0.5f)
                .put("flag", true)
                .put("name", "grandpa ✓")
                .put("u64", 1L << 40)
                .put("i64", new GgufWriter.Typed(11, -9L))
                .put("f64", 2.25)
                .put("ints", List.of(1, 2, 3))
                .put("words", List.of("a", "b"))
                .put("nested", List.of(List.of(1, 2), List.of(3)))
                .tensor("token_embd.weight", GgmlType.Q8_0, 64, 100)
                .tensor("blk.0.ffn_gate_exps.weight", GgmlType.IQ3_KS, 256, 16, 4)
                .tensor("blk.1.attn_k.weight", GgmlType.F16, 64, 8)
                .write(path);
        return path;
    }

    @Test
    void readsBackEveryValueTypeAndTensorSizesExactly() {
        GgufFile file = GgufReader.read(sample());
        assertThat(file.version()).isEqualTo(3);
        var m = file.metadata();
        assertThat(m.get("u8")).isEqualTo(200);
        assertThat(m.get("i8")).isEqualTo((byte) -5);
        assertThat(m.get("u16")).isEqualTo(60000);
        assertThat(m.get("i16")).isEqualTo((short) -300);
        assertThat(m.get("llama.block_count")).isEqualTo(2L);
        assertThat(m.get("i32")).isEqualTo(-7);
        assertThat(m.get("f32")).isEqualTo(0.5f);
        assertThat(m.get("flag")).isEqualTo(true);
        assertThat(m.get("name")).isEqualTo("grandpa ✓");
        assertThat(m.get("u64")).isEqualTo(1L << 40);
        assertThat(m.get("i64")).isEqualTo(-9L);
        assertThat(m.get("f64")).isEqualTo(2.25);
        assertThat(m.get("ints")).isEqualTo(List.of(1, 2, 3));
        assertThat(m.get("words")).isEqualTo(List.of("a", "b"));
        assertThat(m.get("nested")).isEqualTo(List.of(List.of(1, 2), List.of(3)));

        assertThat(file.tensors()).extracting(TensorInfo::name)
                .containsExactly("token_embd.weight", "blk.0.ffn_gate_exps.weight", "blk.1.attn_k.weight");
        assertThat(file.tensors().get(0).bytes()).isEqualTo(100 * 2 * 34);
        assertThat(file.tensors().get(1).bytes()).isEqualTo(16 * 4 * (2 + 102)); // row scale + one block per row
        assertThat(file.tensors().get(1).type()).isEqualTo(GgmlType.IQ3_KS);
        assertThat(file.tensors().get(2).bytes()).isEqualTo(64 * 8 * 2);
        assertThat(file.dataStart() % 32).isZero();
    }

    @Test
    void versionTwoIsReadAndVersionOneIsRefused() throws IOException {
        Path path = sample();
        patchU32(path, 4, 2);
        assertThat(GgufReader.read(path).version()).isEqualTo(2);
        patchU32(path, 4, 1);
        assertThatThrownBy(() -> GgufReader.read(path)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("sample.gguf at byte 4").hasMessageContaining("version 1 is not supported");
    }

    @Test
    void aFileThatIsNotGgufSaysSo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "# not a model\n");
        assertThatThrownBy(() -> GgufReader.read(text)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("notes.gguf at byte 0: not a GGUF file");
        assertThatThrownBy(() -> GgufReader.read(dir.resolve("missing.gguf"))).hasMessageContaining("no such file");
    }

    @Test
    void aTruncatedHeaderOrDataSectionNamesTheFileAndByte() throws IOException {
        Path path = sample();
        long full = Files.size(path);
        try (var f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(full - 10);
        }
        assertThatThrownBy(() -> GgufReader.read(path)).hasMessageContaining("truncated: tensor blk.1.attn_k.weight ends at byte");
        try (var f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(60);
        }
        assertThatThrownBy(() -> GgufReader.read(path)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("sample.gguf at byte").hasMessageContaining("truncated");
    }

    @Test
    void impossibleLengthsAreRefusedBeforeAnythingIsAllocated() throws IOException {
        Path path = sample();
        patchU64(path, 8, Long.MAX_VALUE / 2); // tensor count
        assertThatThrownBy(() -> GgufReader.read(path)).hasMessageContaining("at byte 8: tensor count");
        Path again = sample();
        patchU64(again, 24, 1L << 50); // length of the first key
        assertThatThrownBy(() -> GgufReader.read(again))
                .hasMessageContaining("at byte 24: string of 1125899906842624 bytes runs past the end of the file");
    }

    @Test
    void aMissingPartOfASplitModelIsNamed() {
        new GgufWriter().put("general.architecture", "llama").write(dir.resolve("m-00001-of-00002.gguf"));
        assertThatThrownBy(() -> GgufReader.readModel(dir.resolve("m-00001-of-00002.gguf")))
                .hasMessageContaining("m-00002-of-00002.gguf: no such file");
        assertThatThrownBy(() -> GgufReader.readModel(dir.resolve("m-00002-of-00002.gguf")))
                .hasMessageContaining("read from its first part");
    }

    @Test
    void fuzzedHeadersFailCleanlyOrReadNeverHangingOrExhaustingMemory() throws IOException {
        byte[] original = Files.readAllBytes(sample());
        int header = (int) GgufReader.read(dir.resolve("sample.gguf")).dataStart();
        var random = new Random(20261124);
        Path target = dir.resolve("fuzzed.gguf");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int failures = 0;
            for (int i = 0; i < 3000; i++) {
                byte[] bytes = original.clone();
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(header);
                    switch (random.nextInt(3)) {
                        case 0 -> bytes[at] = (byte) random.nextInt(256);
                        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                        default -> {
                            long big = random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 20);
                            ByteBuffer.wrap(bytes, Math.min(at, bytes.length - 8), 8).order(ByteOrder.LITTLE_ENDIAN).putLong(big);
                        }
                    }
                }
                int length = random.nextInt(10) == 0 ? random.nextInt(bytes.length) : bytes.length;
                Files.write(target, java.util.Arrays.copyOf(bytes, length));
                try {
                    GgufReader.read(target);
                } catch (GgufFormatException expected) {
                    assertThat(expected.getMessage()).startsWith(target.toString());
                    failures++;
                }
            }
            assertThat(failures).isGreaterThan(1000);
        });
    }

    private static void patchU32(Path path, long at, int value) throws IOException {
        try (var f = new RandomAccessFile(path.toFile(), "rw")) {
            f.seek(at);
            f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }
    }

    private static void patchU64(Path path, long at, long value) throws IOException {
        try (var f = new RandomAccessFile(path.toFile(), "rw")) {
            f.seek(at);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
    }
}
