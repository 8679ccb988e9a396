package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "Prints the unified diff of a task's branch: everything its accepted changes did.")
final class DiffCommand extends ApiCommand {
    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    DiffCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        console.out().print(api().text("/api/tasks/" + taskId(id) + "/diff"));
        console.out().flush();
        return 0;
    }
}
