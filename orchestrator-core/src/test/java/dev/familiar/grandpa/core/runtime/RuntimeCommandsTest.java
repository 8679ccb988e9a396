package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.runtime.session.OutputLimits;
import dev.familiar.grandpa.runtime.session.SessionSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.testing.GgufWriter;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's command planned from the model file at start, directly or in a container. */
class RuntimeCommandsTest {
    static final ModelSettings MODEL = model(null);

    static ModelSettings model(Path apiKeyFile) {
        return new ModelSettings("http://127.0.0.1:8000/v1", "grandpa", null, Duration.ofMinutes(1), 0, 1000,
                SessionSettings.Reasoning.KEEP, 10, SessionSettings.Api.CHAT, dev.familiar.grandpa.runtime.client.PromptFormat.CHATML,
                OutputLimits.DEFAULT, null, apiKeyFile);
    }

    @TempDir
    Path dir;

    Path smallMoe() {
        var writer = new GgufWriter().put("general.architecture", "llama")
                .putU32("llama.block_count", 4).putU32("llama.embedding_length", 256)
                .putU32("llama.expert_count", 8).putU32("llama.expert_used_count", 2)
                .putU32("llama.attention.head_count", 4).putU32("llama.attention.head_count_kv", 2)
                .tensor("token_embd.weight", GgmlType.Q8_0, 256, 1000);
        for (int i = 0; i < 4; i++) {
            writer.tensor("blk." + i + ".attn_k.weight", GgmlType.F16, 256, 128)
                    .tensor("blk." + i + ".ffn_gate_exps.weight", GgmlType.Q8_0, 256, 512, 8)
                    .tensor("blk." + i + ".ffn_up_exps.weight", GgmlType.Q8_0, 256, 512, 8)
                    .tensor("blk." + i + ".ffn_down_exps.weight", GgmlType.Q8_0, 512, 256, 8);
        }
        writer.tensor("output.weight", GgmlType.Q8_0, 256, 1000);
        Path file = dir.resolve("small-moe.gguf");
        writer.write(file);
        return file;
    }

    RuntimeProperties runtime(String model, List<String> gpus, String image) {
        return runtime(model, gpus, image, "head-tail", null);
    }

    RuntimeProperties runtime(String model, List<String> gpus, String image, String strategy, String goal) {
        return new RuntimeProperties(null, List.of(), new RuntimeProperties.Launch(model, gpus, 4096, strategy, 1, 1, 0,
                512, "64GiB", LlamaServerFlavor.LLAMA_CPP, "/opt/llama.cpp/llama-server", List.of("--metrics"),
                new RuntimeProperties.Container("podman", image, "grandpa-model", List.of("nvidia.com/gpu=all"), null,
                        "/models"), "127.0.0.1", dir.resolve("slots").toString(), goal, "100GB/s"), Duration.ofMinutes(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 50);
    }

    @Test
    void aGoalHasTheMicroBatchChosenForItAtStart() {
        String model = smallMoe().toString();
        var resolved = RuntimeCommands.resolve(runtime(model, List.of("4GiB", "4GiB"), null, "auto", "prompt:4096"), MODEL);
        assertThat(resolved.plan().request().microBatch()).isEqualTo(4096); // every layer fits: the largest shares the most
        assertThat(resolved.command()).containsSubsequence("-ub", "4096");
        assertThatThrownBy(() -> RuntimeCommands.resolve(runtime(model, List.of("4GiB"), null, "head-tail", "generation"),
                MODEL)).hasMessageContaining("strategy auto only");
    }

    @Test
    void aPlannedCommandRunsDirectlyOrInAContainer() {
        String model = smallMoe().toString();
        var resolved = RuntimeCommands.resolve(runtime(model, List.of("4GiB", "4GiB"), null), MODEL);
        var direct = resolved.command();
        assertThat(resolved.plan().devices()).extracting(d -> d.device()).containsExactly("CUDA0", "CUDA1");
        assertThat(direct.getFirst()).isEqualTo("/opt/llama.cpp/llama-server");
        assertThat(direct).containsSubsequence("--host", "127.0.0.1");
        // the checkpoints grandpa asks for (checkpoint-every 10) have a place on the server's disk
        assertThat(direct).containsSubsequence("--slot-save-path", dir.resolve("slots").toString());
        assertThat(dir.resolve("slots")).isDirectory();
        assertThat(direct).doesNotContain("--api-key-file");
        assertThat(direct).contains("-m", model, "--port", "8000", "--alias", "grandpa", "--metrics",
                "blk\\\\.(0)\\\\.ffn_(gate|up|down)_exps=CUDA0".replace("\\\\", "\\"),
                "blk\\\\.(3)\\\\.ffn_(gate|up|down)_exps=CUDA1".replace("\\\\", "\\"));

        var boxed = RuntimeCommands.resolve(runtime(model, List.of("4GiB", "4GiB"), "ghcr.io/ggml-org/llama.cpp:server-cuda"), MODEL)
                .command();
        assertThat(boxed).startsWith("podman", "run", "--rm", "--name", "grandpa-model");
        assertThat(boxed).contains("ghcr.io/ggml-org/llama.cpp:server-cuda", "/models/small-moe.gguf")
                .doesNotContain("/opt/llama.cpp/llama-server");
    }

    @Test
    void theServerGetsTheKeyFileGrandpaSendsTheKeyFrom() throws Exception {
        Path key = java.nio.file.Files.writeString(dir.resolve("model.key"), "s3cret-model-key\n");
        var settings = model(key);
        assertThat(settings.key()).isEqualTo("s3cret-model-key");
        var direct = RuntimeCommands.resolve(runtime(smallMoe().toString(), List.of("4GiB", "4GiB"), null), settings).command();
        assertThat(direct).containsSubsequence("--api-key-file", key.toAbsolutePath().toString()).doesNotContain("s3cret-model-key");
    }

    @Test
    void aPlanThatDoesNotFitStopsTheStartWithItsProblems() {
        String model = smallMoe().toString();
        assertThatThrownBy(() -> RuntimeCommands.resolve(runtime(model, List.of("16MiB"), null), MODEL))
                .hasMessageContaining("does not fit").hasMessageContaining("CUDA0 needs");
        assertThat(RuntimeCommands.resolve(runtime(null, List.of(), null), MODEL).command()).isEmpty();
    }
}
