package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Cancelling and resuming a run: the same request to two ends. */
abstract class EvalStopCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "RUN", description = "the run's label, or the start of its id")
    String run;

    private final String action;

    EvalStopCommand(Console console, String action) {
        super(console);
        this.action = action;
    }

    @Override
    public Integer call() throws Exception {
        JsonNode answered = api().post("/api/evals/runs/" + ApiClient.encode(run) + "/" + action, null);
        if (output.printed(console, answered)) {
            return 0;
        }
        console.out().println(answered.path("label").asString() + " " + answered.path("status").asString());
        console.out().flush();
        return 0;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a run: its cases' tasks are cancelled; "
            + "resuming it gives the unfinished cases new tasks.")
    static final class Cancel extends EvalStopCommand {
        Cancel(Console console) {
            super(console, "cancel");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Goes on with a cancelled run.")
    static final class Resume extends EvalStopCommand {
        Resume(Console console) {
            super(console, "resume");
        }
    }
}
