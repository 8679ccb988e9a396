package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true, description = {"Follows a task's events until it is over: the plan being written, subtasks, "
        + "attempts, checks, verdicts, recoveries. Exits 0 when it is done, 1 when blocked or cancelled."})
final class WatchCommand extends ApiCommand {
    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    @Option(names = "--output", description = "show the coders' answers as they come")
    boolean output;

    @Option(names = "--json", description = "a JSON line per event, then the task's JSON")
    boolean json;

    WatchCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        return TaskFollower.watch(api(), taskId(id), console, output, json);
    }
}
