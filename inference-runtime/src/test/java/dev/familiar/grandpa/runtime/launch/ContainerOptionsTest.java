package dev.familiar.grandpa.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerOptionsTest {
    @Test
    void theSeedsPodmanFormWrapsTheServersArguments() {
        var options = new ContainerOptions("podman", "registry.home.arpa/ik_llama.cpp:latest", "grandpa-model",
                List.of("nvidia.com/gpu=all"), "/mnt/data/models", "/models", 8000);
        var command = options.wrap(List.of("llama-server", "-m", "/mnt/data/models/GLM/GLM-5.1-00001-of-00008.gguf",
                "--ctx-size", "65536", "--port", "8000"));
        assertThat(command).containsExactly("podman", "run", "--rm", "--name", "grandpa-model", "--replace",
                "--device", "nvidia.com/gpu=all", "-p", "8000:8000", "--cap-add=SYS_NICE",
                "-v", "/mnt/data/models:/models:ro,Z", "registry.home.arpa/ik_llama.cpp:latest",
                "-m", "/models/GLM/GLM-5.1-00001-of-00008.gguf", "--ctx-size", "65536", "--port", "8000");
    }

    @Test
    void underDockerALeftoverContainerOfTheSameNameIsRemovedBeforeTheRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var log = dir.resolve("calls.log");
        var docker = dir.resolve("docker"); // records each call, as the real one would act on it
        java.nio.file.Files.writeString(docker, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n");
        docker.toFile().setExecutable(true);
        var options = new ContainerOptions(docker.toString(), "ghcr.io/ggml-org/llama.cpp:server-cuda", "grandpa model",
                List.of(), "/models", "/models", 8000);
        var command = options.wrap(List.of("llama-server", "-m", "/models/m.gguf"));

        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor()).isZero();
        assertThat(java.nio.file.Files.readAllLines(log)).containsExactly("rm -f grandpa model",
                "run --rm --name grandpa model -p 8000:8000 --cap-add=SYS_NICE -v /models:/models:ro,Z "
                        + "ghcr.io/ggml-org/llama.cpp:server-cuda -m /models/m.gguf");
    }
}
