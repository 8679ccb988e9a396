package dev.familiar.grandpa.core.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL, used when no {@code spring.datasource.url} is given.
 *
 * @param dataDirectory where its data lives across restarts
 * @param port          0 picks a free port at each start
 * @param durable       fsync and synchronous commit; only tests turn this off
 */
@ConfigurationProperties("grandpa.database.embedded")
public record DatabaseProperties(
        @DefaultValue("data/postgres") Path dataDirectory,
        @DefaultValue("0") int port,
        @DefaultValue("true") boolean durable) {}
