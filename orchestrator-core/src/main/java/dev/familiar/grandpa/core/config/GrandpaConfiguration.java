package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.core.backends.ConfiguredBackends;
import dev.familiar.grandpa.core.backends.DelegationSettings;
import dev.familiar.grandpa.core.context.ContextSettings;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.resident.ModelSettings;
import dev.familiar.grandpa.core.work.EngineSettings;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.backend.BackendRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the modules together: the store, the delegation layer, grandpa's model and the task worker. */
@Configuration(proxyBeanMethods = false)
class GrandpaConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TaskRepository taskRepository(JdbcClient jdbc) {
        return new TaskRepository(jdbc);
    }

    @Bean
    PlanRepository planRepository(JdbcClient jdbc) {
        return new PlanRepository(jdbc);
    }

    @Bean
    AttemptRepository attemptRepository(JdbcClient jdbc) {
        return new AttemptRepository(jdbc);
    }

    @Bean
    RecoveryRepository recoveryRepository(JdbcClient jdbc) {
        return new RecoveryRepository(jdbc);
    }

    @Bean
    EventLog eventLog(JdbcClient jdbc) {
        return new EventLog(jdbc);
    }

    @Bean
    EventJournal eventJournal(EventLog log) {
        return new EventJournal(log);
    }

    @Bean
    ClaimRepository claimRepository(JdbcClient jdbc) {
        return new ClaimRepository(jdbc);
    }

    @Bean
    BackendRepository backendRepository(JdbcClient jdbc) {
        return new BackendRepository(jdbc);
    }

    @Bean
    ContextPackRepository contextPackRepository(JdbcClient jdbc) {
        return new ContextPackRepository(jdbc);
    }

    @Bean
    StatsRepository statsRepository(JdbcClient jdbc) {
        return new StatsRepository(jdbc);
    }

    @Bean
    EngineSettings engineSettings(GrandpaProperties properties) {
        return properties.engine();
    }

    @Bean
    ModelSettings modelSettings(GrandpaProperties properties) {
        return properties.model();
    }

    /** How long routing may search for a plan's schedule ({@code grandpa.engine.schedule-search-steps}). */
    @Bean
    SchedulePlanner schedulePlanner(GrandpaProperties properties) {
        return new SchedulePlanner(properties.engine().scheduleSearchSteps());
    }

    @Bean
    DelegationSettings delegationSettings(GrandpaProperties properties) {
        return properties.delegation();
    }

    @Bean
    ContextSettings contextSettings(GrandpaProperties properties) {
        return properties.context();
    }

    @Bean
    ConfiguredBackends configuredBackends(GrandpaProperties properties) {
        return new ConfiguredBackends(properties.backends());
    }
}
