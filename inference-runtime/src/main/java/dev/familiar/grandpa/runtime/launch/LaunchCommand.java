package dev.familiar.grandpa.runtime.launch;

import dev.familiar.grandpa.runtime.placement.DeviceBudget;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlacementRequest;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code llama-server} command for a placement, as an argument list (what a process is started
 * with: no shell, no quoting bugs) and as text for a person or a script. Expert layers are moved
 * with one {@code -ot} per GPU whose regular expression merges the layer ranges.
 */
public record LaunchCommand(LlamaServerFlavor flavor, List<String> arguments) {

    static final String EXPERTS = "\\.ffn_(gate|up|down)_exps";

    public LaunchCommand {
        arguments = List.copyOf(arguments);
    }

    public static LaunchCommand of(PlacementPlan plan, LaunchOptions options, LlamaServerFlavor flavor) {
        PlacementRequest r = plan.request();
        var args = new ArrayList<String>();
        args.add(options.executable() == null ? flavor.binary() : options.executable());
        args.addAll(List.of("-m", options.model()));
        args.addAll(List.of("--ctx-size", Integer.toString(r.contextLength())));
        String cache = r.cacheType().name().toLowerCase();
        args.addAll(List.of("-ctk", cache, "-ctv", cache));
        args.addAll(List.of("--parallel", Integer.toString(r.parallel())));
        args.addAll(List.of("--threads", Integer.toString(options.threads()), "--threads-batch",
                Integer.toString(options.threadsBatch())));
        args.addAll(List.of("-b", Integer.toString(r.batch()), "-ub", Integer.toString(r.microBatch())));
        args.addAll(List.of("-ngl", "99"));
        if (r.gpus().size() > 1) {
            // the layer split the plan was made for, as layer counts per GPU
            args.addAll(List.of("-ts", r.gpus().stream()
                    .map(g -> Long.toString(plan.layerGpu().values().stream().filter(g.name()::equals).count()))
                    .collect(Collectors.joining(","))));
        }
        boolean anyCpu = plan.expertDevice().containsValue(PlacementPlan.CPU);
        if (anyCpu && flavor == LlamaServerFlavor.IK_LLAMA_CPP) {
            args.add("--cpu-moe"); // the seed's form: experts default to the CPU, -ot brings layers back
        }
        for (DeviceBudget gpu : r.gpus()) {
            var layers = new TreeSet<>(plan.layersOn(gpu.name()));
            if (anyCpu && !layers.isEmpty()) {
                args.addAll(List.of("-ot", "blk\\.(" + LayerRanges.regex(layers) + ")" + EXPERTS + "=" + gpu.name()));
            }
        }
        if (anyCpu && flavor == LlamaServerFlavor.LLAMA_CPP) {
            // llama.cpp takes the first matching override, so the catch-all for the CPU comes last;
            // and no mmap, so the CPU experts sit in pinned memory (19x faster prompt processing).
            args.addAll(List.of("-ot", EXPERTS + "=CPU", "--load-mode", "none"));
        }
        if (flavor == LlamaServerFlavor.IK_LLAMA_CPP) {
            args.addAll(List.of("-ger", "-muge", "-amb", Integer.toString(r.attentionMaxBatch())));
        } else {
            // mainline logs its buffer sizes only from verbosity 4 on, and the plan is checked against them
            // (about 30 lines a request at that level)
            args.addAll(List.of("-fa", "on", "-lv", "4"));
        }
        args.add("--jinja");
        args.addAll(List.of("--host", options.host(), "--port", Integer.toString(options.port())));
        if (flavor == LlamaServerFlavor.IK_LLAMA_CPP) {
            args.add("--warmup-batch");
        }
        args.addAll(List.of("--alias", options.alias()));
        args.addAll(options.extra());
        return new LaunchCommand(flavor, args);
    }

    /** The command as one line a POSIX shell runs unchanged. */
    public String text() {
        return arguments.stream().map(LaunchCommand::quote).collect(Collectors.joining(" "));
    }

    /**
     * Where a server started with these arguments puts each expert layer: {@code -ot} overrides are
     * tried in order and the first whose pattern is found in the tensor name wins (as llama.cpp does);
     * {@code --cpu-moe} and {@code --n-cpu-moe N} apply after them (mainline's N: the first blocks; ik_llama.cpp
     * on one GPU takes the last N layers with experts instead, so grandpa's commands never use it); otherwise a
     * layer's experts stay on the GPU that holds the layer.
     */
    public static Map<Integer, String> expertPlacement(List<String> arguments, Collection<Integer> expertLayers,
                                                       Map<Integer, String> layerGpu) {
        var overrides = new ArrayList<String[]>();
        boolean cpuMoe = false;
        int nCpuMoe = 0;
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if ((a.equals("-ot") || a.equals("--override-tensor")) && i + 1 < arguments.size()) {
                for (String one : arguments.get(++i).split(",")) {
                    int eq = one.lastIndexOf('=');
                    overrides.add(new String[] {one.substring(0, eq), one.substring(eq + 1)});
                }
            } else if (a.equals("--cpu-moe") || a.equals("-cmoe")) {
                cpuMoe = true;
            } else if ((a.equals("--n-cpu-moe") || a.equals("-ncmoe")) && i + 1 < arguments.size()) {
                nCpuMoe = Integer.parseInt(arguments.get(++i));
            }
        }
        var placement = new HashMap<Integer, String>();
        for (int layer : expertLayers) {
            String tensor = "blk." + layer + ".ffn_gate_exps.weight";
            String device = null;
            for (String[] o : overrides) {
                if (Pattern.compile(o[0]).matcher(tensor).find()) {
                    device = o[1];
                    break;
                }
            }
            if (device == null) {
                device = cpuMoe || layer < nCpuMoe ? PlacementPlan.CPU : layerGpu.get(layer);
            }
            placement.put(layer, device);
        }
        return placement;
    }

    private static String quote(String arg) {
        if (arg.matches("[A-Za-z0-9_./:=,+-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
