package dev.familiar.grandpa.core.config;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.McpContextSource;
import dev.familiar.grandpa.core.attempt.AttemptRunner;
import dev.familiar.grandpa.core.context.TaskContext;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.core.grandpa.GrandpaModel;
import dev.familiar.grandpa.core.attempt.AttemptWorktrees;
import dev.familiar.grandpa.core.integration.Integrator;
import dev.familiar.grandpa.core.repository.ChangeChecks;
import dev.familiar.grandpa.core.repository.PullRequests;
import dev.familiar.grandpa.core.repository.Repositories;
import dev.familiar.grandpa.core.repository.TaskBranches;
import dev.familiar.grandpa.core.repository.WorkspaceSettings;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.workspace.repo.Workspaces;
import dev.familiar.grandpa.core.ledger.AttemptLedger;
import dev.familiar.grandpa.core.ledger.BranchLedger;
import dev.familiar.grandpa.core.backends.ConfiguredBackends;
import dev.familiar.grandpa.core.backends.DelegationSettings;
import dev.familiar.grandpa.core.grandpa.ModelSettings;
import dev.familiar.grandpa.core.work.EngineSettings;
import dev.familiar.grandpa.delegation.routing.SchedulePlanner;
import dev.familiar.grandpa.core.retention.Retention;
import dev.familiar.grandpa.core.retention.RetentionSettings;
import dev.familiar.grandpa.store.attempt.AttemptRepository;
import dev.familiar.grandpa.store.backend.BackendRepository;
import dev.familiar.grandpa.store.claim.ClaimRepository;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.event.EventLog;
import dev.familiar.grandpa.store.plan.PlanRepository;
import dev.familiar.grandpa.store.recovery.RecoveryRepository;
import dev.familiar.grandpa.store.retention.RetentionRepository;
import dev.familiar.grandpa.store.stats.StatsRepository;
import dev.familiar.grandpa.store.task.TaskRepository;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

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

    /** The MCP context sources, whose server processes stop with the service. */
    @Bean(destroyMethod = "close")
    ContextBroker contextBroker(GrandpaProperties properties) {
        return new ContextBroker(properties.context().stream().map(c -> new ContextBroker.Budgeted(
                new McpContextSource(c.name(), c.endpoint(System.getenv()), c.tool(), c.queryArgument(), c.timeout()),
                c.timeout(), c.maxTokens())).toList());
    }

    @Bean
    TaskContext taskContext(ContextBroker broker, ContextPackRepository packs, EventJournal events, TransactionTemplate tx) {
        return new TaskContext(broker, packs, events, tx);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    Retention retention(JdbcClient jdbc, RetentionSettings settings, TransactionTemplate tx, Workspaces workspaces,
                        WorkspaceSettings workspaceSettings) {
        return new Retention(new RetentionRepository(jdbc), settings, tx,
                () -> workspaces.sweep(workspaceSettings.keepFailedFor()));
    }

    @Bean
    Integrator integrator(GrandpaModel grandpa, Repositories repositories, TaskBranches branches, ChangeChecks checks,
                          CheckRepository storedChecks, PullRequests pullRequests, BranchLedger ledger) {
        return new Integrator(grandpa, repositories, branches, checks, storedChecks, pullRequests, ledger);
    }

    @Bean
    AttemptRunner attemptRunner(AttemptLedger attempts, BranchLedger branches, TaskContext context, AttemptWorktrees worktrees) {
        return new AttemptRunner(attempts, branches, context, worktrees);
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
    ConfiguredBackends configuredBackends(GrandpaProperties properties) {
        return new ConfiguredBackends(properties.backends());
    }
}
