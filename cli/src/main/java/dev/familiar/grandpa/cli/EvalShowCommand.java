package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "show", mixinStandardHelpOptions = true, description = "A bake-off run: its numbers, then case by case.")
final class EvalShowCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "RUN", description = "the run's label, or the start of its id")
    String run;

    EvalShowCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode found = api().get("/api/evals/runs/" + ApiClient.encode(run));
        if (output.printed(console, found)) {
            return 0;
        }
        EvalPrinter.summary(console.out(), found);
        EvalPrinter.cases(console.out(), found);
        console.out().flush();
        return 0;
    }
}
