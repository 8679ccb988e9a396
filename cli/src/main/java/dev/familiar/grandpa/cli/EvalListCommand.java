package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "The suites there are and the latest bake-off runs.")
final class EvalListCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    EvalListCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode all = api().get("/api/evals");
        if (output.printed(console, all)) {
            return 0;
        }
        var out = console.out();
        out.println("SUITES");
        for (JsonNode s : all.path("suites")) {
            out.printf("  %-20s %s%n", s.path("name").asString(), s.path("folder").asString());
        }
        out.println("RUNS");
        for (JsonNode r : all.path("runs")) {
            JsonNode s = r.path("summary");
            out.printf("  %-8s  %-24s %-12s %-9s %s%s%n", r.path("id").asString().substring(0, 8), s.path("label").asString(),
                    s.path("suite").asString(), s.path("status").asString(), EvalPrinter.solved(s),
                    s.path("standIn").asBoolean() ? "  [stand-in]" : "");
        }
        out.flush();
        return 0;
    }
}
