package dev.familiar.grandpa.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "ps", mixinStandardHelpOptions = true, description = {"What runs, at a glance: grandpa's model server (its state, "
        + "memory per device as planned, as llama.cpp logged it and, on this machine, as the GPUs report it; its "
        + "sessions), the tasks in flight and the coder backends in use."})
final class PsCommand extends ApiCommand {
    private static final String IN_FLIGHT = "&status=QUEUED&status=PLANNING&status=RUNNING&status=INTEGRATING&status=WAITING";

    @Mixin
    JsonOutput output;

    PsCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        ApiClient api = api();
        ObjectNode all = ApiClient.JSON.createObjectNode();
        all.set("runtime", api.get("/api/runtime"));
        all.set("tasks", api.get("/api/tasks?size=50" + IN_FLIGHT).path("items"));
        all.set("backends", api.get("/api/backends"));
        all.set("gpus", Connection.isLoopback(api.url()) ? gpus() : ApiClient.JSON.createArrayNode());
        if (output.printed(console, all)) {
            return 0;
        }
        var out = console.out();
        JsonNode runtime = all.path("runtime");
        JsonNode status = runtime.path("status");
        out.printf("MODEL     %s since %s, %s%s, %d restarts (%s)%n", status.path("state").asString(),
                status.path("since").asString().replaceAll("\\.\\d+Z$", "Z"), runtime.path("mode").asString(),
                status.hasNonNull("pid") ? ", pid " + status.path("pid").asLong() : "", status.path("restarts").asInt(),
                status.path("reason").asString(""));
        devices(runtime, all.path("gpus"));
        int slot = 0;
        for (JsonNode session : runtime.path("sessions")) {
            out.printf("SESSION   slot %d: %s%n", slot++, session.isNull() ? "not called yet" : session.path("api").asString()
                    + (session.hasNonNull("format") ? " " + session.path("format").asString() : "")
                    + (session.hasNonNull("contextPerSlot") ? ", " + session.path("contextPerSlot").asInt() + " tokens a slot" : ""));
        }
        out.printf("TASKS     %d in flight%n", all.path("tasks").size());
        for (JsonNode t : all.path("tasks")) {
            out.printf("  %-8s  %-11s %s%n", t.path("id").asString().substring(0, 8), t.path("status").asString(),
                    t.path("title").asString());
        }
        out.println("BACKENDS");
        for (JsonNode b : all.path("backends")) {
            JsonNode live = b.path("live");
            out.printf("  %-16s %-9s %d/%d slots in use, circuit %s%n", b.path("name").asString(),
                    !b.path("enabled").asBoolean() ? "disabled" : b.path("draining").asBoolean() ? "draining"
                            : live.path("healthy").asBoolean() ? "ready" : "unhealthy",
                    live.path("activeCalls").asInt(), b.path("slots").asInt(), live.path("circuit").asString());
        }
        out.flush();
        return 0;
    }

    /** Per device: the plan's total, the buffers llama.cpp logged (summed), and the GPU's own count where known. */
    private void devices(JsonNode runtime, JsonNode gpus) {
        var logged = new TreeMap<String, Double>();
        runtime.path("status").path("buffersMiB").properties().forEach(e ->
                logged.merge(e.getKey().split(" ")[0], e.getValue().asDouble(), Double::sum));
        var planned = new TreeMap<String, Long>();
        runtime.path("placement").forEach(d -> planned.put(d.path("device").asString(), d.path("totalMiB").asLong()));
        var names = new TreeMap<String, Boolean>();
        logged.keySet().forEach(d -> names.put(d, true));
        planned.keySet().forEach(d -> names.put(d, true));
        if (names.isEmpty() && gpus.isEmpty()) {
            return;
        }
        var out = console.out();
        out.printf("  %-10s %12s %12s %18s%n", "DEVICE", "PLANNED MiB", "LOGGED MiB", "GPU USED/TOTAL MiB");
        for (String device : names.keySet()) {
            JsonNode gpu = device.startsWith("CUDA") ? gpus.path(Integer.parseInt(device.substring(4).replaceAll("\\D.*", "0")))
                    : null;
            out.printf(Locale.ROOT, "  %-10s %12s %12s %18s%n", device, planned.containsKey(device) ? planned.get(device) : "-",
                    logged.containsKey(device) ? String.format(Locale.ROOT, "%.0f", logged.get(device)) : "-",
                    gpu == null || gpu.isMissingNode() ? "-" : gpu.path("usedMiB").asLong() + "/" + gpu.path("totalMiB").asLong());
        }
    }

    /**
     * The GPUs of this machine as {@code nvidia-smi} reports them (asked only when grandpa runs here, its URL
     * loopback); none where the tool is not installed.
     */
    private static JsonNode gpus() {
        var list = ApiClient.JSON.createArrayNode();
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,memory.used,memory.total",
                    "--format=csv,noheader,nounits").redirectErrorStream(true).start();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return list;
            }
            for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(",\\s*");
                if (p.exitValue() == 0 && f.length == 4) {
                    list.addObject().put("index", Integer.parseInt(f[0].strip())).put("name", f[1].strip())
                            .put("usedMiB", Long.parseLong(f[2].strip())).put("totalMiB", Long.parseLong(f[3].strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no nvidia-smi here, or an answer not in its usual shape: the GPUs go unreported
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return list;
    }

}
