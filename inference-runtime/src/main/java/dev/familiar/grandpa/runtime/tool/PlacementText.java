package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.placement.MemoryEstimate;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlacementPlanner;
import dev.familiar.grandpa.runtime.placement.Sizes;
import dev.familiar.grandpa.runtime.placement.SpeedPrediction;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import dev.familiar.grandpa.runtime.server.LlamaServerFlavor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A plan as {@code grandpa placement} prints it for a person: the model, the table per device, the predictions. */
final class PlacementText {
    private PlacementText() {}

    static void print(PrintStream out, Path model, ModelProfile p, double profileMs, String strategy,
                              PlacementPlan plan, Map<String, String> sources) {
        var layer = p.expertLayers().isEmpty() ? null : p.expertLayers().getFirst();
        out.printf(Locale.ROOT, "model: %s (%s), read in %.0f ms%n", model.getFileName(), p.architecture(), profileMs);
        out.printf(Locale.ROOT, "layers: %d (%d dense, %d MoE, %d NextN); experts %d, %d active; %s attention%n",
                p.layers().size(), p.denseLayers(), p.expertLayers().size(), p.nextnLayers(), p.expertCount(),
                p.expertsUsed(), p.attention());
        if (layer != null) {
            out.printf(Locale.ROOT, "experts per MoE layer: %s (gate %s + up %s + down %s); all experts %s; the rest %s%n",
                    Sizes.mib(layer.expertBytes()), Sizes.mib(layer.gateBytes()), Sizes.mib(layer.upBytes()),
                    Sizes.mib(layer.downBytes()), Sizes.gib(p.expertBytes()), Sizes.gib(p.nonExpertBytes()));
        }
        var r = plan.request();
        long kvPerToken = p.kvBytesPerToken(r.cacheType());
        out.printf(Locale.ROOT, "KV cache (%s, %d of %d layers): %.1f MiB per 1k tokens, %s at %,d tokens%n",
                r.cacheType().name().toLowerCase(Locale.ROOT), p.kvLayers(), p.layers().size() - p.nextnLayers(),
                kvPerToken * 1024 / (double) (1 << 20), Sizes.mib(kvPerToken * r.contextLength()), r.contextLength());
        long indexerKeys = PlacementPlanner.indexerKeyBytes(p, r);
        if (indexerKeys > 0) {
            out.printf(Locale.ROOT, "DSA indexer keys (%s): %s at %,d tokens, beside the KV cache%n",
                    r.flavor() == LlamaServerFlavor.LLAMA_CPP ? "llama.cpp: every layer, in the cache type"
                            : "ik_llama.cpp: f16, GLM-5.2's indexer layers", Sizes.mib(indexerKeys), r.contextLength());
        }
        if (p.stateBytesPerSequence() > 0) {
            out.printf(Locale.ROOT, "recurrent state (%d layers): %s a sequence, %s for --parallel %d%n",
                    p.layers().stream().filter(l -> l.stateBytes() > 0).count(), Sizes.mib(p.stateBytesPerSequence()),
                    Sizes.mib(p.stateBytesPerSequence() * r.parallel()), r.parallel());
        }
        out.printf(Locale.ROOT, "GPUs: %s (%s); host memory %s (%s)%n",
                String.join(", ", r.gpus().stream().map(g -> Sizes.mib(g.bytes())).toList()), sources.get("gpus"),
                Sizes.mib(r.hostRam()), sources.get("hostRam"));
        out.println();
        out.printf(Locale.ROOT, "strategy %s, micro-batch %d (MiB):%n", strategy, r.microBatch());
        out.printf(Locale.ROOT, "%-6s %-22s %10s %10s %10s %10s %10s %10s%n",
                "device", "expert layers", "weights", "experts", "KV cache", "compute", "total", "budget");
        for (MemoryEstimate d : plan.devices()) {
            row(out, d, plan.layersOn(d.device()));
        }
        row(out, plan.host(), plan.layersOn(PlacementPlan.CPU));
        SpeedPrediction s = plan.prediction();
        if (s != null) {
            out.printf(Locale.ROOT, "predicted generation: %.1f tok/s at %.0f GB/s host bandwidth (%s): %.1f ms per token"
                            + " reading %s of experts from host memory + %.1f ms on the GPUs; from llama-server %.1f tok/s"
                            + " (%.1f ms a token more than llama-bench)%n",
                    s.tokensPerSecond(), s.hostBandwidth() / 1e9, sources.get("hostBandwidth"), s.hostMsPerToken(),
                    Sizes.mib((long) s.hostBytesPerToken()), s.gpuMsPerToken(), s.serverTokensPerSecond(),
                    SpeedPrediction.SERVER_MS_PER_TOKEN);
            out.println("predicted prompt processing, tok/s with the host's experts pinned (as planned) / mapped: "
                    + s.prompt().stream().map(pp -> String.format(Locale.ROOT, "%d tokens %.0f / %.0f", pp.tokens(),
                            pp.pinnedTokensPerSecond(), pp.mappedTokensPerSecond())).collect(Collectors.joining(", ")));
            if (s.promptSpeed().cpuRunsHostExperts()) {
                out.printf(Locale.ROOT, "  (below -ub %d the server runs the host's experts on the CPU, a micro-batch at a"
                        + " time; a larger micro-batch has the GPU run them)%n", s.promptSpeed().offloadBatch());
            }
        }
        out.println(plan.fits() ? "fits: yes" : "does not fit:");
        plan.problems().forEach(problem -> out.println("  - " + problem));
    }

    private static void row(PrintStream out, MemoryEstimate d, List<Integer> layers) {
        out.printf(Locale.ROOT, "%-6s %-22s %10s %10s %10s %10s %10s %10s%n", d.device(), describe(layers),
                mib(d.weights()), mib(d.experts()), mib(d.kvCache()), mib(d.compute()), mib(d.total()),
                d.budget() > 0 ? mib(d.budget()) : "-");
    }

    /** MiB, the unit llama.cpp logs its buffers in, without the unit (the table's heading says it). */
    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d", Math.round(bytes / (double) (1L << 20)));
    }

    /** "3-17, 74-77 (19)". */
    static String describe(List<Integer> layers) {
        if (layers.isEmpty()) {
            return "none";
        }
        var runs = new ArrayList<String>();
        Integer from = null, previous = null;
        for (int l : new TreeSet<>(layers)) {
            if (previous != null && l == previous + 1) {
                previous = l;
                continue;
            }
            if (from != null) {
                runs.add(from.equals(previous) ? "" + from : from + "-" + previous);
            }
            from = l;
            previous = l;
        }
        runs.add(from.equals(previous) ? "" + from : from + "-" + previous);
        String text = String.join(", ", runs);
        if (text.length() > 16) {
            text = runs.getFirst() + ", …";
        }
        return text + " (" + layers.size() + ")";
    }

}
