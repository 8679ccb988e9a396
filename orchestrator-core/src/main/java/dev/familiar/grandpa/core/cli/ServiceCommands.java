package dev.familiar.grandpa.core.cli;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The service jar's own commands: {@code serve} (the service), {@code restore} (a backup into an empty
 * database, with the service stopped) and {@code placement} (where a model's experts go), the ones that
 * need the service's code. The command-line client of a running service is the {@code cli} module's
 * jar; the {@code ./grandpa} script hands each command to the jar it belongs to.
 */
@Command(name = "grandpa", mixinStandardHelpOptions = true, version = "grandpa 0.1.0",
        description = "grandpa, a resident orchestrator of coding models: the service, and its tools that need no service.",
        footerHeading = "%nThe client:%n",
        footer = {"submit, ls, show, watch, cancel, resume, diff, backends, runtime, backup and mcp talk to a running "
                + "service: they are the command-line client's (cli/target/grandpa-cli.jar); ./grandpa runs each command "
                + "with the jar it belongs to."})
public final class ServiceCommands {
    /** A command that was refused: a restore into a database that holds data. */
    public static final int REFUSED = 1;
    private static final Set<String> STANDARD_OPTIONS = Set.of("--help", "-h", "--version", "-V");

    private ServiceCommands() {
    }

    /**
     * Whether these arguments are a command: anything but nothing at all or Spring's own
     * {@code --name=value} options, which run the service. A mistyped command or option is then a usage
     * error (exit 2) that starts nothing, never a second service.
     */
    public static boolean handles(String[] args) {
        return args.length > 0 && (STANDARD_OPTIONS.contains(args[0])
                || Arrays.stream(args).anyMatch(a -> !a.startsWith("--") || !a.contains("=")));
    }

    /**
     * Runs a command and returns its exit code, or {@link ServeCommand#SERVING} when it started the
     * service (which then runs until it is stopped).
     *
     * @param serve starts the service with Spring's arguments
     */
    public static int run(String[] args, Console console, Consumer<String[]> serve) {
        var commands = new CommandLine(new ServiceCommands())
                .addSubcommand(new CommandLine.HelpCommand())
                .addSubcommand(new RestoreCommand(console))
                .addSubcommand(new PlacementSubcommand(console))
                .addSubcommand(new ServeCommand(serve));
        commands.getSubcommands().get("placement").setStopAtUnmatched(true);
        commands.getSubcommands().get("serve").setStopAtUnmatched(true);
        commands.setOut(console.out()).setErr(console.err());
        commands.setParameterExceptionHandler((e, line) -> { // what was wrong, then what would be right: the commands
            console.err().println("grandpa: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, console.err());
            e.getCommandLine().usage(console.err());
            console.err().flush();
            return CommandLine.ExitCode.USAGE;
        });
        commands.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                console.err().println("grandpa: " + e.getMessage());
                console.err().flush();
                return e instanceof IllegalStateException ? REFUSED : CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return commands.execute(args);
    }
}
