package dev.familiar.grandpa.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a blocked task, with a note for grandpa if you like.")
final class ResumeCommand extends ApiCommand {
    @Mixin
    JsonOutput output;

    @Parameters(paramLabel = "TASK", description = "the task's id")
    String id;

    @Option(names = "--note", description = "what grandpa should know now (it re-plans with it)")
    String note;

    ResumeCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode task = api().post("/api/tasks/" + taskId(id) + "/resume", note == null ? Map.of() : Map.of("note", note));
        if (output.printed(console, task)) {
            return 0;
        }
        console.out().println(task.path("id").asString() + " " + task.path("status").asString());
        console.out().flush();
        return 0;
    }
}
