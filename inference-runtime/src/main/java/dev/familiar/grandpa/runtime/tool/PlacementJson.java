package dev.familiar.grandpa.runtime.tool;

import dev.familiar.grandpa.runtime.launch.LaunchCommand;
import dev.familiar.grandpa.runtime.placement.MemoryEstimate;
import dev.familiar.grandpa.runtime.placement.MicroBatchChoice;
import dev.familiar.grandpa.runtime.placement.PlacementPlan;
import dev.familiar.grandpa.runtime.placement.PlacementPlanner;
import dev.familiar.grandpa.runtime.profile.ModelProfile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A placement plan as JSON, for scripts and the dashboard: sizes in bytes, every device, the command. */
final class PlacementJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PlacementJson() {}

    static String of(Path model, ModelProfile p, String strategy, PlacementPlan plan, Map<String, String> sources,
                     LaunchCommand command, MicroBatchChoice.Choice choice) {
        var r = plan.request();
        var root = new LinkedHashMap<String, Object>();
        root.put("model", model.toString());
        root.put("architecture", p.architecture());
        root.put("layers", Map.of("total", p.layers().size(), "dense", p.denseLayers(), "moe", p.expertLayers().size(),
                "nextn", p.nextnLayers()));
        root.put("experts", Map.of("count", p.expertCount(), "active", p.expertsUsed(), "bytes", p.expertBytes()));
        root.put("contextLength", r.contextLength());
        root.put("cacheType", r.cacheType().name().toLowerCase(Locale.ROOT));
        root.put("kvBytesPerToken", p.kvBytesPerToken(r.cacheType()));
        root.put("indexerKeyBytes", PlacementPlanner.indexerKeyBytes(p, r));
        root.put("strategy", strategy);
        root.put("microBatch", r.microBatch());
        root.put("sources", sources);
        root.put("devices", plan.devices().stream().map(d -> device(d, plan)).toList());
        root.put("host", device(plan.host(), plan));
        var s = plan.prediction();
        if (s != null) {
            root.put("prediction", Map.of("tokensPerSecond", s.tokensPerSecond(),
                    "serverTokensPerSecond", s.serverTokensPerSecond(), "hostMsPerToken", s.hostMsPerToken(),
                    "gpuMsPerToken", s.gpuMsPerToken(), "hostBytesPerToken", s.hostBytesPerToken(),
                    "hostBandwidth", s.hostBandwidth(), "promptProcessing", s.prompt().stream()
                            .map(pp -> Map.of("promptTokens", pp.tokens(), "pinnedTokensPerSecond", pp.pinnedTokensPerSecond(),
                                    "mappedTokensPerSecond", pp.mappedTokensPerSecond())).toList(),
                    // below it the server runs the host's experts on the CPU, a micro-batch at a time
                    "offloadMicroBatch", s.promptSpeed().offloadBatch()));
        }
        if (choice != null) {
            root.put("choice", Map.of("reason", choice.reason(), "tried", choice.tried()));
        }
        root.put("fits", plan.fits());
        root.put("problems", plan.problems());
        root.put("command", command.arguments());
        root.put("commandLine", command.text());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static Map<String, Object> device(MemoryEstimate d, PlacementPlan plan) {
        var device = new LinkedHashMap<String, Object>();
        device.put("device", d.device());
        device.put("expertLayers", List.copyOf(plan.layersOn(d.device())));
        device.put("weightsBytes", d.weights());
        device.put("expertsBytes", d.experts());
        device.put("kvCacheBytes", d.kvCache());
        device.put("computeBytes", d.compute());
        device.put("totalBytes", d.total());
        device.put("budgetBytes", d.budget());
        return device;
    }
}
