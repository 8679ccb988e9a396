package dev.familiar.grandpa.core;

import dev.familiar.grandpa.core.cli.Console;
import dev.familiar.grandpa.core.cli.ServiceCommands;
import dev.familiar.grandpa.core.cli.ServeCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GrandpaApplication {
    /**
     * With a command ({@code grandpa restore ...}, see {@link ServiceCommands}) one of the service's
     * tools; with none, or only Spring's {@code --options}, the service.
     */
    public static void main(String[] args) {
        if (!ServiceCommands.handles(args)) {
            serve(args);
            return;
        }
        int code = ServiceCommands.run(args, Console.system(), GrandpaApplication::serve);
        if (code != ServeCommand.SERVING) {
            System.exit(code);
        }
    }

    private static void serve(String[] args) {
        try {
            SpringApplication.run(GrandpaApplication.class, args);
        } catch (RuntimeException e) {
            System.exit(1); // Spring has said why already (its failure analysis, or the log)
        }
    }
}
