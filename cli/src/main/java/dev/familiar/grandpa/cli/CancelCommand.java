package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a task: its calls in progress are cut off, nothing new starts.")
final class CancelCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    CancelCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode task = api().post("/api/tasks/" + taskId(id) + "/cancel", null);
        if (output.printed(console, task)) {
            return 0;
        }
        console.out().println(task.path("id").asString() + " " + task.path("status").asString());
        console.out().flush();
        return 0;
    }
}
