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
}
