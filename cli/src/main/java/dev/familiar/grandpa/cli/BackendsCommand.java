package dev.familiar.grandpa.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "backends", mixinStandardHelpOptions = true, description = "Lists the coder backends: health, circuit, slots in use, success by capability.")
final class BackendsCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    BackendsCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode backends = api().get("/api/backends");
        var out = console.out();
        if (output.printed(console, backends)) {
            return 0;
        }
        out.printf("%-16s %-6s %-9s %-9s %-6s %s%n", "NAME", "KIND", "STATE", "CIRCUIT", "SLOTS", "SUCCESS");
        for (JsonNode b : backends) {
            JsonNode live = b.path("live");
            String state = !b.path("enabled").asBoolean() ? "disabled" : b.path("draining").asBoolean() ? "draining"
                    : !live.path("healthy").asBoolean() ? "unhealthy" : "ready";
            var success = new StringBuilder();
            b.path("success").properties().forEach(e -> success.append(String.format(Locale.ROOT, "%s %.0f%% (%d) ",
                    e.getKey(), 100 * e.getValue().path("rate").asDouble(),
                    e.getValue().path("succeeded").asLong() + e.getValue().path("failed").asLong())));
            out.printf("%-16s %-6s %-9s %-9s %-6s %s%n", b.path("name").asString(), b.path("kind").asString(), state,
                    live.path("circuit").asString(), live.path("activeCalls").asInt() + "/" + b.path("slots").asInt(),
                    success.toString().strip());
        }
        out.flush();
        return 0;
    }
}
