package dev.familiar.grandpa.core;

import dev.familiar.grandpa.core.cli.Console;
import dev.familiar.grandpa.core.cli.GrandpaCli;
import dev.familiar.grandpa.core.cli.ServeCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GrandpaApplication {
    /**
     * With a command ({@code grandpa submit ...}, see {@link GrandpaCli}) this is the command-line
     * client, without Spring or a database; with none, or only Spring's {@code --options}, the service.
     */
    public static void main(String[] args) {
        if (!GrandpaCli.handles(args)) {
            serve(args);
            return;
        }
        int code = GrandpaCli.run(args, Console.system(), GrandpaApplication::serve);
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
