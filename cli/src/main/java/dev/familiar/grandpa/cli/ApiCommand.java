package dev.familiar.grandpa.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** A command that talks to the running service: its connection options, its client and its console. */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandLine.Model.CommandSpec spec;

    final Console console;

    ApiCommand(Console console) {
        this.console = console;
    }

    ApiClient api() throws java.io.IOException {
        return new ApiClient(Connection.resolve(connection.url, connection.token, connection.tokenFile, console));
    }

    /**
     * A task id as given, whole or its start as the dashboard and {@code ls} show it (eight characters);
     * a usage error when it is neither, names no task, or names several (they are listed).
     */
    UUID taskId(String given) throws java.io.IOException {
        String id = given.strip();
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            if (!id.matches("[0-9a-fA-F-]{4,36}")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "'" + given + "' is not a task id (a UUID, "
                        + "or its first characters)");
            }
        }
        var found = api().get("/api/tasks?size=10&idPrefix=" + id).path("items").valueStream().toList();
        if (found.size() == 1) {
            return UUID.fromString(found.getFirst().path("id").asString());
        }
        throw new CommandLine.ParameterException(spec.commandLine(), found.isEmpty() ? "no task's id starts with '" + id + "'"
                : "'" + id + "' starts the ids of several tasks; give more of it:\n" + String.join("\n", found.stream()
                        .map(t -> "  " + t.path("id").asString() + "  " + t.path("status").asString() + "  "
                                + t.path("title").asString()).toList()));
    }
}
