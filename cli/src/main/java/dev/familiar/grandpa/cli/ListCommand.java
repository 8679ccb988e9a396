package dev.familiar.grandpa.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists tasks, the newest first.")
final class ListCommand extends ApiCommand {
    @Option(names = "--status", paramLabel = "STATUS", description = "only tasks in this status; may be given again")
    List<String> statuses = List.of();

    @Option(names = {"-n", "--limit"}, description = "how many (default 20, at most 200)")
    int limit = 20;

    @Mixin
    JsonOutput output;

    ListCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        var query = new StringBuilder("/api/tasks?size=" + limit);
        statuses.forEach(s -> query.append("&status=").append(s.strip().toUpperCase(java.util.Locale.ROOT)));
        JsonNode page = api().get(query.toString());
        var out = console.out();
        if (output.printed(console, page)) {
            return 0;
        }
        out.printf("%-36s  %-9s  %-20s  %s%n", "ID", "STATUS", "UPDATED", "TITLE");
        for (JsonNode t : page.path("items")) {
            out.printf("%-36s  %-9s  %-20s  %s%n", t.path("id").asString(), t.path("status").asString(),
                    t.path("updatedAt").asString().replaceAll("\\.\\d+Z$", "Z"), t.path("title").asString());
        }
        if (page.path("total").asLong() > page.path("items").size()) {
            out.println("(" + page.path("items").size() + " of " + page.path("total").asLong() + ")");
        }
        out.flush();
        return 0;
    }
}
