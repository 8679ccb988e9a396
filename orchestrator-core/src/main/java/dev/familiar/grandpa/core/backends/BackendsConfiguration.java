package dev.familiar.grandpa.core.backends;

import dev.familiar.grandpa.core.ledger.TaskMetrics;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.health.HealthProbe;
import dev.familiar.grandpa.delegation.routing.Router;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.backend.BackendRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;


/**
 * The coder backends: their registry (filled from the configuration and the stored ones), the catalog that
 * keeps both in step, what they did recently, the router that chooses among them, and their upkeep (health
 * probes, meters).
 */
@Configuration(proxyBeanMethods = false)
class BackendsConfiguration {
    @Bean
    BackendRegistry backendRegistry(DelegationSettings delegation) {
        return new BackendRegistry(List.of(), delegation.guards());
    }

    @Bean
    BackendCatalog backendCatalog(BackendRepository repository, BackendRegistry registry, DelegationSettings delegation,
                                  ConfiguredBackends configured) {
        return new BackendCatalog(repository, registry, delegation.policy(),
                configured.backends().stream().map(BackendSettings::toSpec).toList());
    }

    @Bean
    RecordedOutcomes recordedOutcomes(BackendRepository repository, DelegationSettings delegation) {
        return new RecordedOutcomes(repository, delegation.historyWindow());
    }

    @Bean
    @DependsOn("backendCatalog") // the registry is filled from the stored backends before anything routes
    Router router(BackendRegistry registry, RecordedOutcomes outcomes, DelegationSettings delegation, SchedulePlanner planner,
                  Clock clock) {
        return new Router(registry, outcomes, planner,
                delegation.exploreEvery(), delegation.exploreAfter(), clock);
    }

    @Bean(destroyMethod = "close")
    BackendUpkeep backendUpkeep(BackendCatalog catalog, BackendRegistry registry, DelegationSettings delegation,
                                MeterRegistry meters, TaskMetrics taskMetrics) {
        return new BackendUpkeep(catalog, new HealthProbe(registry), new BackendMeters(registry, meters, taskMetrics::prepare),
                delegation.probeInterval());
    }
}
