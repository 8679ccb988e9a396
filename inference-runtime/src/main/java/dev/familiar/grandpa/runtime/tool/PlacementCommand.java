package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.gguf.GgufFormatException;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.launch.LaunchCommand;
import dev.familiar.grandpa.runtime.launch.LaunchOptions;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import dev.familiar.grandpa.runtime.placement.DeviceBudget;
import dev.familiar.grandpa.runtime.placement.HostResources;
import dev.familiar.grandpa.runtime.placement.HostMemoryBandwidth;
import dev.familiar.grandpa.runtime.placement.MicroBatchChoice;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlacementPlanner;
import dev.familiar.grandpa.runtime.placement.PlacementRequest;
import dev.familiar.grandpa.runtime.placement.Sizes;
import dev.familiar.grandpa.runtime.placement.Strategy;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.profile.ModelProfiler;
import dev.familiar.grandpa.runtime.session.SessionSettings;
import dev.familiar.grandpa.runtime.supervise.ServerHealth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * {@code grandpa placement --model <first part>.gguf --gpu 96GiB --gpu 96GiB --ctx 65536 [...]}:
 * profiles the model, plans where its experts go, and prints the per-device table and the
 * {@code llama-server} command.
 */
public final class PlacementCommand {
    static final String USAGE = """
            usage: grandpa placement --model <file or first part>.gguf [--gpu <size> ...] --ctx <tokens>
                     [--strategy auto [--goal generation | prompt:<tokens>] | head-tail --head N --tail M
                      | n-cpu-moe --n-cpu-moe N]
                     [--host-ram <size>] [--cache-type q8_0] [--batch 4096] [--ubatch 4096] [--parallel 1]
                     [--flavor ik_llama.cpp | llama.cpp] [--host-bandwidth 136GB/s | --probe-buffer 4GiB]
                     [--gpu-bandwidth 1.5TB/s] [--reserve 1GiB] [--threads N] [--host 127.0.0.1] [--port 8000]
                     [--alias grandpa] [--api-key-file <file>] [--slot-save-path <dir>] [--json]
                     [--verify [--server <llama-server>] [--verify-for <seconds>] | --verify-log <server log>]
              Without --gpu each GPU's memory is read from nvidia-smi; without --host-ram the host's from
              /proc/meminfo; without --host-bandwidth the host's read bandwidth is measured (a few seconds,
              reading a buffer of --probe-buffer) and llama.cpp's experts are planned to reach 66 % of it.
              --goal has auto choose the micro-batch too, for the fastest generation or prompt processing.
              The server listens on loopback unless --host says otherwise. --json prints the whole plan.
              --verify starts the planned server, reads the buffer sizes it logs, asks it one request of 2,048
              random prompt tokens and 64 generated (after one like it, to warm it up) and stops it;
              --verify-log reads them and its timings from the log of one that runs: both print the plan
              against them per device, and its speed against the timings (exit 3 when a device or a speed is
              more than 10 % off).""";

    private PlacementCommand() {}

    /**
     * The command on its own, for a GPU machine without the service: this module's jar and its few dependencies
     * ({@code scripts/h200/placement-tool.sh} packs them with a small Java runtime).
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * @return the exit status: 0 planned and fits, 1 planned but does not fit, 2 bad arguments or model, 3 verified and a
     *         device or a speed is more than 10 % off the plan
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) { // asked for: a success, on standard output
            out.println(USAGE);
            return 0;
        }
        try {
            return plan(new Arguments(args), out);
        } catch (IllegalArgumentException | GgufFormatException e) {
            err.println("grandpa placement: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int plan(Arguments a, PrintStream out) {
        Path model = Path.of(a.required("--model"));
        var sources = new LinkedHashMap<String, String>();
        var gpus = DeviceBudget.gpus(a.all("--gpu"));
        sources.put("gpus", "given");
        if (gpus.isEmpty()) {
            var found = HostResources.nvidiaGpus().orElseThrow(() -> new IllegalArgumentException(
                    "no GPU found with nvidia-smi: give each GPU's budget with --gpu, e.g. --gpu 96GiB --gpu 96GiB"));
            gpus = DeviceBudget.gpus(found.stream().map(bytes -> Long.toString(bytes)).toList());
            sources.put("gpus", "read from nvidia-smi");
        }
        long hostRam;
        if (a.has("--host-ram")) {
            hostRam = Sizes.bytes(a.value("--host-ram", null));
            sources.put("hostRam", "given");
        } else {
            var found = HostResources.hostRam(768L << 30);
            hostRam = found.value();
            sources.put("hostRam", found.source());
        }
        long start = System.nanoTime();
        ModelProfile profile = ModelProfiler.profile(GgufReader.readModel(model));
        double profileMs = (System.nanoTime() - start) / 1e6;

        String strategyName = a.value("--strategy", a.has("--head") || a.has("--tail") ? "head-tail"
                : a.has("--n-cpu-moe") ? "n-cpu-moe" : "auto");
        Strategy strategy = Strategy.named(strategyName, a.integer("--head", 0), a.integer("--tail", 0),
                a.integer("--n-cpu-moe", 0));
        double hostBandwidth;
        String bandwidthSource;
        if (a.has("--host-bandwidth")) {
            hostBandwidth = Sizes.bytes(a.value("--host-bandwidth", null));
            bandwidthSource = "given";
        } else {
            double read = HostMemoryBandwidth.measure(a.has("--probe-buffer") ? Sizes.bytes(a.value("--probe-buffer", null))
                    : HostMemoryBandwidth.PROBE_BYTES);
            hostBandwidth = read * HostMemoryBandwidth.EXPERT_READ_SHARE;
            bandwidthSource = String.format(Locale.ROOT, "measured on this machine: %.0f GB/s read, of which llama.cpp's"
                    + " experts reach %.0f %%", read / 1e9, HostMemoryBandwidth.EXPERT_READ_SHARE * 100);
        }
        sources.put("hostBandwidth", bandwidthSource);
        int ubatch = a.integer("--ubatch", 4096);
        LlamaServerFlavor flavor = switch (a.value("--flavor", "ik_llama.cpp")) {
            case "ik_llama.cpp", "ik" -> LlamaServerFlavor.IK_LLAMA_CPP;
            case "llama.cpp" -> LlamaServerFlavor.LLAMA_CPP;
            default -> throw new IllegalArgumentException("--flavor is ik_llama.cpp or llama.cpp");
        };
        var request = new PlacementRequest(gpus, hostRam, a.integer("--ctx", 65536),
                cacheType(a.value("--cache-type", "q8_0")), Math.max(ubatch, a.integer("--batch", 4096)), ubatch,
                a.integer("--parallel", 1), strategy, hostBandwidth, Sizes.bytes(a.value("--gpu-bandwidth", "1.5TB/s")),
                Sizes.bytes(a.value("--reserve", "1GiB")), flavor);
        MicroBatchChoice.Choice choice = null;
        PlacementPlan plan;
        if (a.has("--goal")) { // --strategy auto for the owner's goal: the micro-batch chosen too
            if (!(strategy instanceof Strategy.AutoFit)) {
                throw new IllegalArgumentException("--goal chooses the micro-batch for --strategy auto only");
            }
            choice = MicroBatchChoice.choose(profile, request, MicroBatchChoice.Goal.named(a.value("--goal", null)));
            plan = choice.plan();
        } else {
            plan = PlacementPlanner.plan(profile, request);
        }

        var defaults = LaunchOptions.of(model.toString());
        var extra = new ArrayList<String>();
        if (a.has("--api-key-file")) {
            extra.addAll(List.of("--api-key-file", a.value("--api-key-file", null)));
        }
        if (a.has("--slot-save-path")) {
            extra.addAll(List.of("--slot-save-path", a.value("--slot-save-path", null)));
        }
        var options = new LaunchOptions(a.value("--server", null), model.toString(), a.value("--alias", "grandpa"), a.value("--host", "127.0.0.1"),
                a.integer("--port", 8000), a.integer("--threads", defaults.threads()),
                a.integer("--threads-batch", defaults.threadsBatch()), extra);
        LaunchCommand command = LaunchCommand.of(plan, options, flavor);

        if (a.has("--json")) {
            out.println(PlacementJson.of(model, profile, strategyName, plan, sources, command, choice));
            return plan.fits() ? 0 : 1;
        }
        if (choice != null) {
            out.println("chose " + choice.reason());
            choice.tried().forEach(tried -> out.println("  tried " + tried));
        }
        PlacementText.print(out, model, profile, profileMs, strategyName, plan, sources);
        out.println();
        out.println("command (" + (flavor == LlamaServerFlavor.IK_LLAMA_CPP ? "ik_llama.cpp" : "llama.cpp") + "):");
        out.println(command.text());
        if (a.has("--verify") || a.has("--verify-log")) {
            // the probe's prompt: 2,048 tokens, or what fits a slot beside its answer
            int probeTokens = Math.min(2048, request.contextLength() / request.parallel() - 2 * SpeedProbe.GENERATED);
            String key;
            try { // the key the server is started with, sent to it only
                key = SessionSettings.key(null, a.has("--api-key-file") ? Path.of(a.value("--api-key-file", null)) : null);
            } catch (IllegalStateException unreadable) {
                throw new IllegalArgumentException(unreadable.getMessage(), unreadable);
            }
            var observed = a.has("--verify-log") ? PlanVerification.fromLog(Path.of(a.value("--verify-log", null)))
                    : PlanVerification.fromServer(command.arguments(), Duration.ofSeconds(a.integer("--verify-for", 600)),
                    out, new ServerHealth(SpeedProbe.uri(options.host(), options.port(), "/")),
                    limit -> SpeedProbe.measure(options.host(), options.port(), key, probeTokens,
                            profile.vocabulary(), limit));
            return PlanVerification.print(out, plan, observed) ? (plan.fits() ? 0 : 1) : 3;
        }
        return plan.fits() ? 0 : 1;
    }

    private static GgmlType cacheType(String name) {
        try {
            GgmlType type = GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
            if (List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1,
                    GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.IQ4_NL).contains(type)) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--cache-type " + name + " is not a KV cache type (f16, bf16, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl, f32)");
    }

    /** {@code --name value} pairs; a name may repeat. */
    private record Arguments(List<String> args) {
        boolean has(String name) {
            return args.contains(name);
        }

        List<String> all(String name) {
            var values = new ArrayList<String>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals(name)) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    values.add(args.get(i + 1));
                }
            }
            return values;
        }

        String value(String name, String fallback) {
            var values = all(name);
            return values.isEmpty() ? fallback : values.getLast();
        }

        String required(String name) {
            String v = value(name, null);
            if (v == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return v;
        }

        int integer(String name, int fallback) {
            String v = value(name, null);
            try {
                return v == null ? fallback : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " " + v + " is not a whole number");
            }
        }
    }
}
