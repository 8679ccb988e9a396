package dev.familiar.grandpa.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a command of the command-line client reads and writes: its output, its errors, standard input,
 * the environment, and whether the output is a terminal (then progress overwrites its line).
 */
public record Console(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, boolean terminal) {

    public static Console system() {
        return new Console(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.in, System.getenv(),
                System.console() != null && System.console().isTerminal());
    }
}
