package dev.familiar.grandpa.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "Prints the unified diff of a task's branch: everything its accepted changes did.")
final class DiffCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    DiffCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        UUID task = taskId(id);
        String diff = api().text("/api/tasks/" + task + "/diff");
        if (output.printed(console, ApiClient.JSON.createObjectNode().put("task", task.toString()).put("diff", diff))) {
            return 0;
        }
        console.out().print(diff);
        console.out().flush();
        return 0;
    }
}
