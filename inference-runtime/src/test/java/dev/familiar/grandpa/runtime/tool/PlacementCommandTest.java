package dev.familiar.grandpa.runtime.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.placement.HostResources;
import dev.familiar.grandpa.runtime.placement.Sizes;
import dev.familiar.grandpa.runtime.testing.MeasuredShapes;
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
                "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s", "--host-ram", "768GiB");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("layers: 79 (3 dense, 75 MoE, 1 NextN)",
                "experts per MoE layer: 4,088 MiB (gate 1,225 MiB + up 1,225 MiB + down 1,638 MiB)",
                "2,984 MiB at 65,536 tokens",
                "DSA indexer keys (ik_llama.cpp: f16, GLM-5.2's indexer layers): 336 MiB at 65,536 tokens", "3-17 (15)", "74-77 (4)", "18-73 (56)", "predicted generation:",
                "fits: yes", "-ot 'blk\\.([3-9]|1[0-7])\\.ffn_(gate|up|down)_exps=CUDA0'",
                "-ot 'blk\\.(7[4-7])\\.ffn_(gate|up|down)_exps=CUDA1'", "--cpu-moe");
    }

    @Test
    void belowIkLlamaCppsOffloadThresholdThePredictionSaysTheCpuRunsTheHostsExperts() {
        Path model = ShapedModels.glm51(dir, 8, false);
        String[] seed = {"--model", model.toString(), "--gpu", "96GiB", "--gpu", "96GiB", "--ctx", "65536",
                "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s", "--host-ram", "768GiB"};
        var at512 = new ArrayList<>(List.of(seed));
        at512.addAll(List.of("--ubatch", "512"));
        Run small = run(at512.toArray(String[]::new));
        assertThat(small.status()).as(small.err()).isZero();
        assertThat(small.out()).contains("(below -ub 1024 the server runs the host's experts on the CPU, a micro-batch at a"
                + " time; a larger micro-batch has the GPU run them)");
        assertThat(run(seed).out()).doesNotContain("below -ub");
    }

    @Test
    void theTableIsInMibTheCommandListensOnLoopbackAndJsonHasTheWholePlan() {
        Path model = ShapedModels.glm51(dir, 8, false);
        String[] args = {"--model", model.toString(), "--gpu", "96GiB", "--gpu", "96GiB", "--ctx", "65536",
                "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s", "--host-ram", "768GiB",
                "--api-key-file", "/etc/grandpa/model.key", "--slot-save-path", "/var/lib/grandpa/slots"};
        Run r = run(args);
        assertThat(r.out()).contains("micro-batch 4096 (MiB):", "GPUs: 98,304 MiB, 98,304 MiB (given)",
                "host memory 786,432 MiB (given)", "75,756     98,304", "228,928", "--host 127.0.0.1",
                "--api-key-file /etc/grandpa/model.key", "--slot-save-path /var/lib/grandpa/slots");
        assertThat(r.out()).doesNotContain("0.0.0.0").doesNotContain(" GiB ");

        var withJson = new ArrayList<>(List.of(args));
        withJson.add("--json");
        Run json = run(withJson.toArray(String[]::new));
        assertThat(json.status()).isZero();
        var plan = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.out());
        assertThat(plan.path("fits").asBoolean()).isTrue();
        assertThat(plan.path("devices")).hasSize(2);
        assertThat(plan.path("devices").get(0).path("expertLayers")).hasSize(15);
        assertThat(plan.path("devices").get(0).path("budgetBytes").asLong()).isEqualTo(96L << 30);
        assertThat(plan.path("host").path("expertLayers")).hasSize(56);
        assertThat(plan.path("sources").path("hostRam").asString()).isEqualTo("given");
        assertThat(plan.path("indexerKeyBytes").asLong()).isEqualTo(336L << 20);
        // ik_llama.cpp runs the host's experts on the GPU from 32 tokens an expert: 32 x 256 / 8
        assertThat(plan.path("prediction").path("offloadMicroBatch").asInt()).isEqualTo(1024);
        assertThat(plan.path("prediction").path("promptProcessing")).isNotEmpty();
        assertThat(plan.path("command").toString()).contains("\"--host\",\"127.0.0.1\"", "--slot-save-path");
    }

    @Test
    void aGoalHasAutoChooseTheMicroBatchAndSayWhy() {
        Path model = MeasuredShapes.qwen3Moe(dir, MeasuredShapes.Qwen3Moe.A3B);
        Run r = run("--model", model.toString(), "--gpu", "24GiB", "--ctx", "65536", "--flavor", "llama.cpp",
                "--host-bandwidth", "55GB/s", "--gpu-bandwidth", "4.8TB/s", "--goal", "prompt:8192");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("chose micro-batch 4096: the fastest prompt processing of 8192 tokens predicted",
                "  tried -ub 512: ", "predicted prompt processing, tok/s with the host's experts pinned", "-ub 4096",
                // mainline logs the buffer sizes the plan is checked against only from verbosity 4 on
                "-fa on -lv 4");
        Run headTail = run("--model", model.toString(), "--gpu", "24GiB", "--ctx", "65536", "--strategy", "n-cpu-moe",
                "--n-cpu-moe", "4", "--host-bandwidth", "55GB/s", "--goal", "generation");
        assertThat(headTail.status()).isEqualTo(2);
        assertThat(headTail.err()).contains("--goal chooses the micro-batch for --strategy auto only");
    }

    @Test
    void hostMemoryAndGpusAreReadWhereTheyCanBe() throws Exception {
        Path meminfo = java.nio.file.Files.writeString(dir.resolve("meminfo"), "MemTotal:       791465804 kB\nMemFree: 1 kB\n");
        var found = HostResources.hostRam(meminfo, 1);
        assertThat(found.value()).isEqualTo(791465804L * 1024);
        assertThat(found.source()).isEqualTo("read from " + meminfo);
        var assumed = HostResources.hostRam(dir.resolve("none"), 768L << 30);
        assertThat(assumed.value()).isEqualTo(768L << 30);
        assertThat(assumed.source()).startsWith("assumed");
        Run read = run("--model", ShapedModels.glm51(dir, 8, false).toString(), "--gpu", "96GiB", "--ctx", "4096",
                "--host-bandwidth", "1GB/s");
        assertThat(read.out()).contains("(read from /proc/meminfo)"); // this machine's, whether the model fits or not
        assertThat(HostResources.parseNvidiaSmi("97871\n97871\n")).contains(List.of(97871L << 20, 97871L << 20));
        assertThat(HostResources.parseNvidiaSmi("NVIDIA-SMI has failed")).isEmpty();
        if (HostResources.nvidiaGpus().isEmpty()) { // no GPU here: without --gpu the command says what to give
            Run r = run("--model", ShapedModels.glm51(dir, 8, false).toString(), "--ctx", "4096", "--host-bandwidth", "1GB/s");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("no GPU found with nvidia-smi: give each GPU's budget with --gpu");
        }
    }

    @Test
    void verifiedAgainstTheServersOwnLogEachDeviceAndSpeedIsComparedAndOneOffByMoreThanTenPercentIsAWarning() throws Exception {
        Path model = ShapedModels.glm51(dir, 8, false);
        String[] args = {"--model", model.toString(), "--gpu", "96GiB", "--gpu", "96GiB", "--ctx", "65536",
                "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s", "--host-ram", "768GiB",
                "--port", Integer.toString(freePort())};
        var plan = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run(withArgs(args, "--json")).out());
        double gpu0 = plan.path("devices").get(0).path("totalBytes").asLong() / 1048576.0;
        double gpu1 = plan.path("devices").get(1).path("totalBytes").asLong() / 1048576.0;
        double host = plan.path("host").path("totalBytes").asLong() / 1048576.0;
        double generation = plan.path("prediction").path("serverTokensPerSecond").asDouble();
        double prompt = 0;
        for (var size : plan.path("prediction").path("promptProcessing")) {
            prompt = size.path("promptTokens").asInt() == 2048 ? size.path("pinnedTokensPerSecond").asDouble() : prompt;
        }
        // as llama.cpp logs them: CUDA0 as planned (split over three lines), CUDA1 a fifth over, the host 3 % under;
        // then a request's timings: its prompt of 2,048 tokens 3 % slower than planned, its answer 20 % slower
        Path log = dir.resolve("server.log");
        java.nio.file.Files.writeString(log, String.format(java.util.Locale.ROOT, """
                load_tensors: CUDA0 model buffer size = %.2f MiB
                llama_kv_cache: CUDA0 KV buffer size = %.2f MiB
                sched_reserve: CUDA0 compute buffer size = %.2f MiB
                load_tensors: CUDA1 model buffer size = %.2f MiB
                load_tensors: CPU_Mapped model buffer size = %.2f MiB
                sched_reserve: CUDA_Host compute buffer size = %.2f MiB
                main: server is listening on http://127.0.0.1:8000 - starting the main loop
                slot print_timing: id  0 | task 0 | prompt eval time = %10.2f ms /  2048 tokens (    1.00 ms per token,  1.00 tokens per second)
                slot print_timing: id  0 | task 0 |        eval time = %10.2f ms /    64 tokens (    1.00 ms per token,  1.00 tokens per second)
                """, gpu0 - 2000, 1000.0, 1000.0, gpu1 * 1.2, host * 0.97 - 100, 100.0, 2048 * 1000 / (prompt * 0.97),
                64 * 1000 / (generation * 0.8)));
        Run verified = run(withArgs(args, "--verify-log", log.toString()));
        assertThat(verified.status()).as(verified.out()).isEqualTo(3);
        assertThat(verified.out()).contains("plan against the server's log (MiB):")
                .containsPattern("CUDA0 +[0-9]+ +[0-9]+ +\\+0\\.0 %\n")
                .containsPattern("CUDA1 +[0-9]+ +[0-9]+ +\\+20\\.0 %  WARNING: more than 10 % off")
                .containsPattern("CPU +[0-9]+ +[0-9]+ +-3\\.0 %\n")
                .contains("plan against the server's timings (tokens a second; prompt from an empty context,"
                        + " generation as a llama-server answers, not llama-bench):")
                .containsPattern("prompt +2048 +[0-9.]+ +[0-9.]+ +-3\\.0 %\n")
                .containsPattern("generation +64 +[0-9.]+ +[0-9.]+ +-20\\.0 %  WARNING: more than 10 % off");

        Run missing = run(withArgs(args, "--verify-log", dir.resolve("no-such.log").toString()));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the server's log");
        Run noKey = run(withArgs(args, "--verify-log", log.toString(), "--api-key-file", dir.resolve("no-key").toString()));
        assertThat(noKey.status()).isEqualTo(2);
        assertThat(noKey.err()).contains("API key file", "cannot be read");

        // the same read from the planned server itself, started for it and stopped once it answers /health or the time
        // is up: this one logs that it listens but never answers, so its speed is not measured
        Path server = dir.resolve("fake-server.sh");
        java.nio.file.Files.writeString(server, "#!/bin/sh\ncat " + log + "\nexec sleep 60\n");
        server.toFile().setExecutable(true);
        Run started = run(withArgs(args, "--verify", "--server", server.toString(), "--verify-for", "3"));
        assertThat(started.status()).isEqualTo(3);
        assertThat(started.out()).contains("started the planned server (pid ").contains("WARNING: more than 10 % off")
                .contains("it did not answer /health within 3 s; comparing what it logged so far");
    }

    @Test
    void verifyingStartsThePlannedServerAndAsksItOneRequestForItsSpeed() throws Exception {
        // a stand-in llama-server (a process of its own, not a real model) that evaluates 100 prompt tokens a second
        // and generates 5, far slower than the plan, and logs buffer sizes of its own
        Path server = dir.resolve("stand-in-server.sh");
        java.nio.file.Files.writeString(server, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -cp " + System.getProperty("java.class.path") + " "
                + dev.familiar.grandpa.testkit.standin.StandInServerMain.class.getName()
                + " --prompt-rate 100 --generate-rate 5 \"$@\"\n");
        server.toFile().setExecutable(true);
        Run r = run("--model", ShapedModels.glm51(dir, 8, false).toString(), "--gpu", "96GiB", "--gpu", "96GiB",
                "--ctx", "8192", "--strategy", "head-tail", "--head", "15", "--tail", "4", "--host-bandwidth", "136GB/s",
                "--host-ram", "768GiB", "--port", Integer.toString(freePort()), "--verify", "--server", server.toString(),
                "--verify-for", "60");

        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(3);
        // the probe sends 2,048 token ids of the model's vocabulary (the stand-in counts each as a token), and its answer
        // is cut at 64
        assertThat(r.out()).contains("asked it for random prompt tokens and 64 generated, after a request like it to warm it up")
                .containsPattern("prompt +2048 +[0-9.]+ +100\\.0 +-[0-9.]+ %  WARNING: more than 10 % off")
                .containsPattern("generation +64 +[0-9.]+ +5\\.0 +-[0-9.]+ %  WARNING: more than 10 % off");
    }

    static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String[] withArgs(String[] args, String... more) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void measuresTheHostBandwidthWhenNoneIsGiven() {
        Path model = ShapedModels.qwen35(dir, 1);
        Run r = run("--model", model.toString(), "--gpu", "80GiB", "--ctx", "262144", "--flavor", "llama.cpp");
        assertThat(r.out()).containsPattern("measured on this machine: [0-9]+ GB/s read, of which llama.cpp's experts reach 66 %")
                .contains("4,080 MiB at 262,144 tokens", "strategy auto");
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
