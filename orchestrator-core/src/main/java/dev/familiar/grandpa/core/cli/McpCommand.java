package dev.familiar.grandpa.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.familiar.grandpa.core.mcp.McpTools;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "mcp", mixinStandardHelpOptions = true, description = {"grandpa's MCP server over stdio, for an editor or agent that starts MCP servers "
        + "as processes: the same tools as the service's /mcp, worked through the running service's API "
        + "(--url and the token as for every command)."})
final class McpCommand extends ApiCommand {
    McpCommand(Console console) {
        super(console);
    }

    @Override
    public Integer call() throws Exception {
        logToStandardError(); // standard output carries the protocol and nothing else
        var json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        var closed = new CountDownLatch(1);
        var transport = new StdioServerTransportProvider(json, new EndOfInput(console.in(), closed), System.out);
        var server = McpTools.server(McpServer.sync(transport).jsonMapper(json), new McpTools(new ApiDesk(api()), json));
        Runtime.getRuntime().addShutdownHook(new Thread(closed::countDown));
        closed.await();
        server.close();
        return 0;
    }

    /** Logs go to standard error, warnings and worse only: standard output is the protocol's. */
    private static void logToStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n");
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }

    /** Standard input; at its end (the client went away) the server ends. */
    private static final class EndOfInput extends java.io.FilterInputStream {
        private final CountDownLatch closed;

        EndOfInput(java.io.InputStream in, CountDownLatch closed) {
            super(in);
            this.closed = closed;
        }

        @Override
        public int read() throws java.io.IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            return ended(super.read(b, off, len));
        }

        private int ended(int n) {
            if (n < 0) {
                closed.countDown();
            }
            return n;
        }
    }
}
