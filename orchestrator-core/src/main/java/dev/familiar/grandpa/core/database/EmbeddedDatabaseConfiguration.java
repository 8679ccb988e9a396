package dev.familiar.grandpa.core.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.familiar.grandpa.store.embedded.EmbeddedDatabase;
import javax.sql.DataSource;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Starts the embedded PostgreSQL unless a database URL is configured. */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatabaseUrl.class)
class EmbeddedDatabaseConfiguration {

    static class NoDatabaseUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties) {
        return EmbeddedDatabase.start(properties.dataDirectory().toAbsolutePath(), properties.port(), properties.durable());
    }

    /** The lock on the data directory names the port too, so a second start can say where this one answers. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> servicePortInLock(EmbeddedDatabase database) {
        return event -> database.servicePort(event.getWebServer().getPort());
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedDatabase database) {
        var pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.username());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(20);
        pool.setPoolName("grandpa-embedded");
        return pool;
    }
}
