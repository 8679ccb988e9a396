package dev.familiar.grandpa.core.cli;

import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grandpa} command: a client of the running service ({@code submit}, {@code ls}, {@code show},
 * {@code watch}, {@code cancel}, {@code resume}, {@code diff}, {@code backends}, {@code runtime}), its MCP
 * server over stdio ({@code mcp}), the {@code placement} planner, and {@code serve}, the service itself.
 * Exit codes a script can use: 0 done (or the command did what it was asked), 1 the task was blocked or
 * cancelled, 2 a usage error, 3 the service could not be reached or refused the request.
 */
@Command(name = "grandpa", mixinStandardHelpOptions = true, version = "grandpa 0.1.0",
        description = "grandpa, a resident orchestrator of coding models: the service and its command-line client.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done, or the command did what it was asked", "1:the task was blocked or cancelled",
                "2:a usage error", "3:grandpa could not be reached or refused the request"},
        footerHeading = "%nConnection:%n",
        footer = {"--url, else GRANDPA_URL, else 'url' in ~/.config/grandpa/client.properties, else "
                + "http://127.0.0.1:8080; --token or --token-file, else GRANDPA_TOKEN, else 'token' or 'token-file' "
                + "there, else a local service's data/admin.token."})
public final class GrandpaCli {
    /** A task blocked or cancelled, or a command that was refused (a restore into a database that holds data). */
    public static final int BLOCKED = 1;
    public static final int UNREACHABLE = 3;
    private static final Set<String> STANDARD_OPTIONS = Set.of("--help", "-h", "--version", "-V");

    private GrandpaCli() {
    }

    /**
     * Whether these arguments are for the command line: anything but nothing at all or Spring's own
     * {@code --name=value} options, which run the service. A mistyped command or option is then a usage
     * error (exit 2) that starts nothing, never a second service.
     */
    public static boolean handles(String[] args) {
        return args.length > 0 && (STANDARD_OPTIONS.contains(args[0])
                || java.util.Arrays.stream(args).anyMatch(a -> !a.startsWith("--") || !a.contains("=")));
    }

    /**
     * Runs a command and returns its exit code, or {@link ServeCommand#SERVING} when it started the
     * service (which then runs until it is stopped).
     *
     * @param serve starts the service with Spring's arguments
     */
    public static int run(String[] args, Console console, Consumer<String[]> serve) {
        var cli = new CommandLine(new GrandpaCli())
                .addSubcommand(new CommandLine.HelpCommand())
                .addSubcommand(new SubmitCommand(console))
                .addSubcommand(new ListCommand(console))
                .addSubcommand(new ShowCommand(console))
                .addSubcommand(new WatchCommand(console))
                .addSubcommand(new CancelCommand(console))
                .addSubcommand(new ResumeCommand(console))
                .addSubcommand(new DiffCommand(console))
                .addSubcommand(new BackendsCommand(console))
                .addSubcommand(new RuntimeStatusCommand(console))
                .addSubcommand(new McpCommand(console))
                .addSubcommand(new BackupCommand(console))
                .addSubcommand(new RestoreCommand(console))
                .addSubcommand(new PlacementSubcommand(console))
                .addSubcommand(new ServeCommand(serve));
        cli.getSubcommands().get("placement").setStopAtUnmatched(true);
        cli.getSubcommands().get("serve").setStopAtUnmatched(true);
        cli.setOut(console.out()).setErr(console.err());
        cli.setParameterExceptionHandler((e, line) -> { // what was wrong, then what would be right: the commands
            console.err().println("grandpa: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, console.err());
            e.getCommandLine().usage(console.err());
            console.err().flush();
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ApiException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                console.err().println("grandpa: " + e.getMessage());
                console.err().flush();
                return e instanceof ApiException ? UNREACHABLE : e instanceof IllegalStateException ? BLOCKED
                        : CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
