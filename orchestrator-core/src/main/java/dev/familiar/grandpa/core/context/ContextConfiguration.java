package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.McpContextSource;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The context sources (MCP servers) and the packs gathered from them for each task. */
@Configuration(proxyBeanMethods = false)
class ContextConfiguration {
    /** The MCP context sources, whose server processes stop with the service. */
    @Bean(destroyMethod = "close")
    ContextBroker contextBroker(ContextSources configured) {
        return new ContextBroker(configured.sources().stream().map(c -> new ContextBroker.Budgeted(
                new McpContextSource(c.name(), c.endpoint(System.getenv()), c.tool(), c.queryArgument(), c.timeout()),
                c.timeout(), c.maxTokens())).toList());
    }

    @Bean
    TaskContext taskContext(ContextBroker broker, ContextPackRepository packs, EventJournal events, TransactionTemplate tx) {
        return new TaskContext(broker, packs, events, tx);
    }
}
