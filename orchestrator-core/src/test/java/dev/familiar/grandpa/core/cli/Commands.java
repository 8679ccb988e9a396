package dev.familiar.grandpa.core.cli;

import dev.familiar.grandpa.cli.GrandpaCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs grandpa's commands in this JVM as the {@code ./grandpa} script runs them in their own: the
 * service jar's ({@code serve}, {@code restore}, {@code placement}) through {@link ServiceCommands}, the
 * client's through the {@code cli} module's {@link GrandpaCli}; output and errors captured.
 */
final class Commands {
    /** What one run of a command printed and returned. */
    record Run(int code, String out, String err) {}

    /** The built jar of the command-line client, next to this module. */
    static final Path CLIENT_JAR = Path.of("..", "cli", "target", "grandpa-cli.jar").toAbsolutePath().normalize();

    private Commands() {
    }

    static Run client(Map<String, String> env, String stdin, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var console = new dev.familiar.grandpa.cli.Console(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, false);
        return new Run(GrandpaCli.run(args, console), out.toString(), err.toString());
    }

    static Run service(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var console = new Console(new PrintWriter(out, true), new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]), env);
        int code = ServiceCommands.run(args, console, springArgs -> {
            throw new AssertionError("no command here starts the service");
        });
        return new Run(code, out.toString(), err.toString());
    }
}
