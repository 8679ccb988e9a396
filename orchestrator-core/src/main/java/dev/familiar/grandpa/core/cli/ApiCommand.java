package dev.familiar.grandpa.core.cli;

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

    /** A task id as given, or a usage error. */
    UUID taskId(String given) {
        try {
            return UUID.fromString(given.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + given + "' is not a task id (a UUID)");
        }
    }
}
