package dev.familiar.grandpa.core.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Runs the service (as './grandpa' with no command does). Spring's arguments "
        + "follow, e.g. --server.port=8081 or --spring.config.additional-location=grandpa.yml."})
public final class ServeCommand implements Callable<Integer> {
    /** The exit code that means: the service runs, do not exit. */
    public static final int SERVING = -1;

    @Unmatched
    List<String> args = new java.util.ArrayList<>(); // picocli adds to it

    private final Consumer<String[]> serve;

    ServeCommand(Consumer<String[]> serve) {
        this.serve = serve;
    }

    @Override
    public Integer call() {
        serve.accept(args.toArray(String[]::new));
        return SERVING;
    }
}
