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
            SpringApplication.run(GrandpaApplication.class, args);
            return;
        }
        int code = GrandpaCli.run(args, Console.system(), springArgs -> SpringApplication.run(GrandpaApplication.class, springArgs));
        if (code != ServeCommand.SERVING) {
            System.exit(code);
        }
    }
}
