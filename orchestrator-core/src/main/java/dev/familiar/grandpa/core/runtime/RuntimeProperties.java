package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How grandpa keeps its model's server: attached to one someone else runs (no command, the default),
 * or started by grandpa from {@code command} (a {@code llama-server ...} line, or a
 * {@code podman run ...} / {@code docker run ...} line for a container; {@code grandpa placement}
 * prints one).
 *
 * <p>Instead of a command, {@code launch} can name the model file and the GPUs: grandpa then plans the
 * expert placement at start (as {@code grandpa placement} does) and runs the resulting command,
 * directly or in a container.
 *
 * @param serverUrl    the server's root; empty means the grandpa model's base URL without {@code /v1}
 * @param readyTimeout how long loading may take (a 300 GiB model takes minutes)
 */
@ConfigurationProperties("grandpa.runtime")
record RuntimeProperties(
        String serverUrl,
        List<String> command,
        @DefaultValue Launch launch,
        @DefaultValue("30m") Duration readyTimeout,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("2s") Duration minBackoff,
        @DefaultValue("2m") Duration maxBackoff,
        @DefaultValue("200") int logLines) {

    public RuntimeProperties {
        command = command == null ? List.of() : List.copyOf(command);
    }

    /**
     * The server command made from a placement plan.
     *
     * @param model    the model file (first part of a split model); empty: no plan, attach or use {@code command}
     * @param gpus     each GPU's budget, e.g. {@code [96GiB, 96GiB]}
     * @param strategy {@code auto}, {@code head-tail} (with head and tail) or {@code n-cpu-moe} (with nCpuMoe)
     * @param hostRam  the host memory the plan may use; unset: read from {@code /proc/meminfo}
     * @param host     the address the model's server listens on: loopback unless told otherwise
     * @param slotSavePath where the server keeps the slot checkpoints grandpa asks for ({@code --slot-save-path});
     *                 passed when {@code grandpa.model.checkpoint-every} is above 0
     * @param goal     with strategy {@code auto}: {@code generation} or {@code prompt:<tokens>} has the micro-batch
     *                 chosen for that goal too (as {@code grandpa placement --goal}); unset: {@code micro-batch}
     * @param hostBandwidth the host's memory read bandwidth for the goal's predictions, e.g. {@code 136GB/s};
     *                 unset: measured at start (a few seconds) and planned at llama.cpp's share of it
     */
    public record Launch(
            String model,
            List<String> gpus,
            @DefaultValue("65536") int context,
            @DefaultValue("auto") String strategy,
            @DefaultValue("0") int head,
            @DefaultValue("0") int tail,
            @DefaultValue("0") int nCpuMoe,
            @DefaultValue("4096") int microBatch,
            String hostRam,
            @DefaultValue("IK_LLAMA_CPP") LlamaServerFlavor flavor,
            String executable,
            List<String> extraArgs,
            @DefaultValue Container container,
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("data/slots") String slotSavePath,
            String goal,
            String hostBandwidth) {}

    /** Run the server in a container when {@code image} is set (the image's entry point is llama-server). */
    public record Container(
            @DefaultValue("podman") String engine,
            String image,
            @DefaultValue("grandpa-model") String name,
            @DefaultValue("nvidia.com/gpu=all") List<String> devices,
            String modelsDir,
            @DefaultValue("/models") String mountPoint) {}
}
