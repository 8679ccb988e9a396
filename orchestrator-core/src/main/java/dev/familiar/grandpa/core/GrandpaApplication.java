package dev.familiar.grandpa.core;

import dev.familiar.grandpa.runtime.tool.PlacementCommand;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GrandpaApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("placement")) {
            // A command-line tool, not the service: no Spring, no database.
            System.exit(PlacementCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        SpringApplication.run(GrandpaApplication.class, args);
    }
}
