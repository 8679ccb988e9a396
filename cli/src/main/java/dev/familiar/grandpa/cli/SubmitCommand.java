package dev.familiar.grandpa.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "submit", mixinStandardHelpOptions = true, description = {"Hands grandpa a task. The goal is the words given, a file (--file), or "
        + "standard input. Prints the task's id; with --wait, follows it to its end."})
final class SubmitCommand extends ApiCommand {
    @Parameters(paramLabel = "GOAL", arity = "0..*", description = "the goal, in words")
    List<String> words = List.of();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the goal from this file ('-': standard input)")
    String file;

    @Option(names = "--title", description = "a short title (default: the goal's first line)")
    String title;

    @Option(names = "--repo", description = "the configured repository the task works in")
    String repo;

    @Option(names = "--label", paramLabel = "LABEL", description = "a label; may be given again")
    List<String> labels = List.of();

    @Option(names = "--priority", description = "0 (default) to 10; higher goes first")
    Integer priority;

    @Option(names = "--acceptance", paramLabel = "CHECK", description = "the repository check the whole change must pass")
    String acceptance;

    @Option(names = "--wait", description = "follow the task until it is over; exit 0 when done, 1 when blocked or cancelled")
    boolean waitForIt;

    @Option(names = "--output", description = "with --wait: show the coders' answers as they come")
    boolean output;

    @Option(names = "--json", description = "print the accepted task's JSON; with --wait, a JSON line for it, each event and the task at its end")
    boolean json;

    SubmitCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        String goal = goal();
        if (goal.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no goal: give it in words, with --file, or on standard input");
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("goal", goal);
        if (title != null) {
            body.put("title", title);
        }
        if (repo != null) {
            body.put("repo", repo);
        }
        if (!labels.isEmpty()) {
            body.put("labels", labels);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (acceptance != null) {
            body.put("acceptanceCommand", acceptance);
        }
        ApiClient api = api();
        JsonNode accepted = api.post("/api/tasks", body);
        UUID id = UUID.fromString(accepted.path("id").asString());
        console.out().println(!json ? id.toString() : waitForIt ? ApiClient.JSON.writeValueAsString(accepted)
                : accepted.toPrettyString());
        console.out().flush();
        if (!waitForIt) {
            return 0;
        }
        return TaskFollower.watch(api, id, console, output, json);
    }

    private String goal() throws IOException {
        if (file != null) {
            return file.equals("-") ? stdin() : Files.readString(Path.of(file));
        }
        if (!words.isEmpty()) {
            return String.join(" ", words);
        }
        return console.terminal() ? "" : stdin();
    }

    private String stdin() throws IOException {
        return new String(console.in().readAllBytes(), StandardCharsets.UTF_8);
    }
}
