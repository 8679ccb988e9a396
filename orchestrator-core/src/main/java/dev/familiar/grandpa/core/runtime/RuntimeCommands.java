package dev.familiar.grandpa.core.runtime;

import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.launch.ContainerOptions;
import dev.familiar.grandpa.runtime.launch.LaunchCommand;
import dev.familiar.grandpa.runtime.launch.LaunchOptions;
import dev.familiar.grandpa.runtime.placement.DeviceBudget;
import dev.familiar.grandpa.runtime.placement.HostMemoryBandwidth;
import dev.familiar.grandpa.runtime.placement.HostResources;
import dev.familiar.grandpa.runtime.placement.MicroBatchChoice;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlacementPlanner;
import dev.familiar.grandpa.runtime.placement.PlanCheck;
import dev.familiar.grandpa.runtime.placement.PlacementRequest;
import dev.familiar.grandpa.runtime.placement.Sizes;
import dev.familiar.grandpa.runtime.placement.SpeedCheck;
import dev.familiar.grandpa.runtime.placement.Strategy;
import dev.familiar.grandpa.runtime.profile.ModelProfiler;
import dev.familiar.grandpa.runtime.supervise.RuntimeSupervisor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which command starts the model's server: the one configured, one planned from the model file, or none. */
final class RuntimeCommands {
    private static final Logger log = LoggerFactory.getLogger(RuntimeCommands.class);
    private RuntimeCommands() {}

    /**
     * The command (empty: attach to a server someone else runs) and, when it was planned from the model
     * file, the plan it follows (per device: weights, experts, KV cache, compute), else null.
     */
    public record Resolved(List<String> command, PlacementPlan plan) {
        public Resolved {
            command = List.copyOf(command);
        }

        /**
         * The plan against what the server logged it allocated, per device; none when nothing was planned, or while
         * the server runs another command (a bake-off setup's model).
         */
        public List<PlanCheck> checkedAgainst(RuntimeSupervisor supervisor) {
            return plan == null || !supervisor.command().equals(command) ? List.of()
                    : PlanCheck.of(plan, supervisor.status().buffersMiB());
        }

        /** The plan's speed against the server's fastest long enough prompt and answer since it started, likewise. */
        public List<SpeedCheck> speedCheckedAgainst(RuntimeSupervisor supervisor) {
            return plan == null || !supervisor.command().equals(command) ? List.of()
                    : SpeedCheck.of(plan.prediction(), supervisor.status().timings());
        }
    }

    /** The slot checkpoints' directory, made if missing (llama-server does not make it). */
    private static String slotDirectory(String path) {
        Path dir = Path.of(path).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the slot checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        return dir.toString();
    }

    public static Resolved resolve(RuntimeProperties runtime, ModelSettings model) {
        if (!runtime.command().isEmpty()) {
            return new Resolved(runtime.command(), null);
        }
        var launch = runtime.launch();
        if (launch.model() == null || launch.model().isBlank()) {
            return new Resolved(List.of(), null);
        }
        var gpus = DeviceBudget.gpus(launch.gpus() == null ? List.of() : launch.gpus());
        Strategy strategy = Strategy.named(launch.strategy(), launch.head(), launch.tail(), launch.nCpuMoe());
        var profile = ModelProfiler.profile(GgufReader.readModel(Path.of(launch.model())));
        long hostRam = launch.hostRam() == null || launch.hostRam().isBlank()
                ? HostResources.hostRam(768L << 30).value() : Sizes.bytes(launch.hostRam());
        boolean goal = launch.goal() != null && !launch.goal().isBlank();
        double bandwidth = !goal ? 0 : launch.hostBandwidth() == null || launch.hostBandwidth().isBlank()
                ? HostMemoryBandwidth.forExperts() : Sizes.bytes(launch.hostBandwidth());
        var request = new PlacementRequest(gpus, hostRam, launch.context(), GgmlType.Q8_0,
                Math.max(launch.microBatch(), goal ? 4096 : 0), launch.microBatch(), 1, strategy, bandwidth, 1.5e12,
                PlacementRequest.GIB, launch.flavor());
        PlacementPlan plan;
        if (goal) { // the micro-batch chosen for the owner's goal, and said why
            if (!(strategy instanceof Strategy.AutoFit)) {
                throw new IllegalStateException("grandpa.runtime.launch.goal chooses the micro-batch for strategy auto only");
            }
            var choice = MicroBatchChoice.choose(profile, request, MicroBatchChoice.Goal.named(launch.goal()));
            log.info("The model server's placement: chose {}", choice.reason());
            plan = choice.plan();
        } else {
            plan = PlacementPlanner.plan(profile, request);
        }
        if (!plan.fits()) {
            throw new IllegalStateException("the planned placement of " + launch.model() + " does not fit: "
                    + String.join("; ", plan.problems()));
        }
        int port = URI.create(model.baseUrl()).getPort();
        var defaults = LaunchOptions.of(launch.model());
        var container = launch.container();
        boolean contained = container.image() != null && !container.image().isBlank();
        var extra = new ArrayList<String>();
        if (!contained) { // in a container these paths are the container's: give them in extra-args there
            if (model.apiKeyFile() != null) {
                extra.addAll(List.of("--api-key-file", model.apiKeyFile().toAbsolutePath().toString()));
            }
            if (model.checkpointEvery() > 0) {
                extra.addAll(List.of("--slot-save-path", slotDirectory(launch.slotSavePath())));
            }
        }
        if (launch.extraArgs() != null) {
            extra.addAll(launch.extraArgs());
        }
        var options = new LaunchOptions(launch.executable(), launch.model(), model.name(), launch.host(),
                port < 0 ? 8000 : port, defaults.threads(), defaults.threadsBatch(), extra);
        List<String> server = LaunchCommand.of(plan, options, launch.flavor()).arguments();
        if (!contained) {
            return new Resolved(server, plan);
        }
        String modelsDir = container.modelsDir() != null ? container.modelsDir()
                : Path.of(launch.model()).toAbsolutePath().getParent().toString();
        return new Resolved(new ContainerOptions(container.engine(), container.image(), container.name(), container.devices(),
                modelsDir, container.mountPoint(), port < 0 ? 8000 : port).wrap(server), plan);
    }
}
