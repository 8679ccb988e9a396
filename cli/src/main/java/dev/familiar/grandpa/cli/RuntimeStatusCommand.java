package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "runtime", mixinStandardHelpOptions = true, description = "Shows grandpa's model server: its state, restarts, and how each session calls it.")
final class RuntimeStatusCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    RuntimeStatusCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode runtime = api().get("/api/runtime");
        var out = console.out();
        if (output.printed(console, runtime)) {
            return 0;
        }
        JsonNode status = runtime.path("status");
        out.println("model server: " + status.path("state").asString()
                + (status.hasNonNull("reason") ? " (" + status.path("reason").asString() + ")" : "")
                + ", " + runtime.path("mode").asString().toLowerCase(java.util.Locale.ROOT)
                + (status.path("restarts").asInt() > 0 ? ", " + status.path("restarts").asInt() + " restarts" : ""));
        int slot = 0;
        for (JsonNode session : runtime.path("sessions")) {
            if (session.isNull()) {
                out.println("session " + slot++ + ": not called yet");
                continue;
            }
            out.println("session " + slot++ + ": " + session.path("api").asString()
                    + (session.hasNonNull("format") ? " " + session.path("format").asString() : "")
                    + (session.hasNonNull("contextPerSlot") ? ", " + session.path("contextPerSlot").asInt() + " tokens a slot" : "")
                    + (session.hasNonNull("reason") ? " (" + session.path("reason").asString() + ")" : ""));
        }
        out.flush();
        return 0;
    }
}
