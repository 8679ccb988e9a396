package dev.familiar.grandpa.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grandpa} command-line client of the running service ({@code submit}, {@code ls}, {@code show},
 * {@code watch}, {@code cancel}, {@code resume}, {@code diff}, {@code backends}, {@code runtime},
 * {@code backup}, {@code eval}) and its MCP tools over stdio ({@code mcp}). It starts no service and no Spring: the
 * service's own commands ({@code serve}, {@code restore}, {@code placement}) are the service jar's, and the
 * {@code ./grandpa} script hands each command to the jar it belongs to.
 * Exit codes a script can use: 0 done (or the command did what it was asked), 1 the task was blocked or
 * cancelled, 2 a usage error, 3 the service could not be reached or refused the request.
 */
@Command(name = "grandpa", mixinStandardHelpOptions = true, version = "grandpa 0.1.0",
        description = "grandpa, a resident orchestrator of coding models: the command-line client of the running service.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done, or the command did what it was asked", "1:the task was blocked or cancelled",
                "2:a usage error", "3:grandpa could not be reached or refused the request"},
        footerHeading = "%nConnection:%n",
        footer = {"--url, else GRANDPA_URL, else 'url' in ~/.config/grandpa/client.properties, else "
                + "http://127.0.0.1:8080; --token or --token-file, else GRANDPA_TOKEN, else 'token' or 'token-file' "
                + "there, else a local service's data/admin.token.",
                "%nThe service's own commands (./grandpa hands them to the service's jar): serve (the service; also "
                + "./grandpa with no command), restore (a backup into an empty database), placement (where a model's "
                + "experts go)."})
public final class GrandpaCli {
    /** A task blocked or cancelled, or a command that was refused (a restore into a database that holds data). */
    public static final int BLOCKED = 1;
    public static final int UNREACHABLE = 3;

    private GrandpaCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs a command and returns its exit code. */
    public static int run(String[] args, Console console) {
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
                .addSubcommand(new PsCommand(console))
                .addSubcommand(new BackupCommand(console))
                .addSubcommand(EvalCommand.with(console))
                .addSubcommand(new AutoComplete.GenerateCompletion());
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
