package dev.familiar.grandpa.runtime.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.placement.Sizes;
import dev.familiar.grandpa.runtime.testing.ShapedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = PlacementCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheSeedsLayoutWithItsTableAndCommand() {
        Path model = ShapedModels.glm51(dir, 8, false);
        Run r = run("--model", model.toString(), "--gpu", "96GiB", "--gpu", "96GiB", "--ctx", "65536",
                "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("layers: 79 (3 dense, 75 MoE, 1 NextN)",
                "experts per MoE layer: 4,088 MiB (gate 1,225 MiB + up 1,225 MiB + down 1,638 MiB)",
                "2,984 MiB at 65,536 tokens", "3-17 (15)", "74-77 (4)", "18-73 (56)", "predicted generation:",
                "fits: yes", "-ot 'blk\\.([3-9]|1[0-7])\\.ffn_(gate|up|down)_exps=CUDA0'",
                "-ot 'blk\\.(7[4-7])\\.ffn_(gate|up|down)_exps=CUDA1'", "--cpu-moe");
    }

    @Test
    void measuresTheHostBandwidthWhenNoneIsGiven() {
        Path model = ShapedModels.qwen35(dir, 1);
        Run r = run("--model", model.toString(), "--gpu", "80GiB", "--ctx", "262144", "--flavor", "llama.cpp");
        assertThat(r.out()).contains("measured on this machine", "4,080 MiB at 262,144 tokens", "strategy auto");
        assertThat(r.status()).isIn(0, 1);
    }

    @Test
    void badArgumentsAndBadFilesAreExplained() {
        Path model = ShapedModels.qwen35(dir, 1);
        var cases = new ArrayList<Run>();
        cases.add(run("--gpu", "96GiB"));
        cases.add(run("--model", model.toString()));
        cases.add(run("--model", model.toString(), "--gpu", "lots"));
        cases.add(run("--model", dir.resolve("none.gguf").toString(), "--gpu", "96GiB"));
        cases.add(run("--model", model.toString(), "--gpu", "96GiB", "--strategy", "magic"));
        assertThat(cases).allMatch(c -> c.status() == 2 && c.err().contains("usage: grandpa placement"));
        assertThat(cases.get(0).err()).contains("--model is required");
        assertThat(cases.get(2).err()).contains("'lots' is not a size");
        assertThat(cases.get(3).err()).contains("none.gguf: no such file");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(Sizes.bytes("96GiB")).isEqualTo(96L << 30);
        assertThat(Sizes.bytes("96G")).isEqualTo(96L << 30);
        assertThat(Sizes.bytes("80GB")).isEqualTo(80_000_000_000L);
        assertThat(Sizes.bytes("136GB/s")).isEqualTo(136_000_000_000L);
        assertThat(Sizes.bytes("512")).isEqualTo(512);
    }
}
