package dev.familiar.grandpa.cli;

import picocli.CommandLine.Command;

@Command(name = "mcp", mixinStandardHelpOptions = true, description = {"grandpa's MCP server over stdio, for an editor or agent that starts MCP servers "
        + "as processes: the running service's own MCP tools (its /mcp), passed through over HTTP with --url and "
        + "the token as for every command, so the token's role decides what may be called."})
final class McpCommand extends ApiCommand {
    McpCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        new McpBridge(api(), console.out(), console.err()).run(console.in());
        return 0;
    }
}
