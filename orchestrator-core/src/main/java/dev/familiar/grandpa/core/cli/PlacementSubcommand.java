package dev.familiar.grandpa.core.cli;

import dev.familiar.grandpa.runtime.tool.PlacementCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "placement", description = {"Plans where a model's experts go (GPUs, host memory) and prints the "
        + "llama-server command; needs no service. 'grandpa placement --help' says how."})
final class PlacementSubcommand implements Callable<Integer> {
    /** Everything after the command's name, in order (the command line stops matching at the first). */
    @Unmatched
    List<String> args = new java.util.ArrayList<>(); // picocli adds to it

    private final Console console;

    PlacementSubcommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        var out = new PrintStream(new WriterStream(console.out()), true, StandardCharsets.UTF_8);
        var err = new PrintStream(new WriterStream(console.err()), true, StandardCharsets.UTF_8);
        return PlacementCommand.run(args, out, err);
    }

    /** The console's writer as the stream the placement tool prints to. */
    private static final class WriterStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            line.write(b);
        }

        @Override
        public void flush() {
            writer.print(line.toString(StandardCharsets.UTF_8));
            writer.flush();
            line.reset();
        }
    }
}
