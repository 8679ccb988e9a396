package dev.familiar.grandpa.core;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GrandpaApplication {
    public static void main(String[] args) {
        SpringApplication.run(GrandpaApplication.class, args);
    }
}
